import type { PipelineActor } from "../services/pipelines/access.js";
import type { SessionUser } from "../trpc/context.js";

export const actorOf = (user: SessionUser): PipelineActor => ({ userId: user.id, role: user.role });
