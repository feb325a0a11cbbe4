import { can, type Role } from "../../../shared/permissions.js";
import { forbidden, notFound } from "../errors.js";

/** Who asks: users act on their own data sets and pipelines, admins on all, guests only read. */
export interface PipelineActor {
  userId: string;
  role: Role;
}

export type Area = "datasets" | "pipelines";

const canReadAny = (actor: PipelineActor, area: Area) => can(actor.role, `${area}:read:any`);
const canWriteAny = (actor: PipelineActor, area: Area) => can(actor.role, `${area}:write:any`);

/** The owner a list is restricted to: the actor, unless they may read everyone's (undefined). */
export function listOwner(actor: PipelineActor, area: Area): string | undefined {
  return canReadAny(actor, area) ? undefined : actor.userId;
}

/** Someone else's object the actor may not read does not exist, as far as they can tell. */
export function assertReadable<T extends { ownerId: string }>(
  actor: PipelineActor,
  area: Area,
  what: string,
  row: T | undefined,
): T {
  if (!row || (row.ownerId !== actor.userId && !canReadAny(actor, area))) throw notFound(what);
  return row;
}

/** Writing needs ownership or `…:write:any`; visible but not writable is FORBIDDEN. */
export function assertWritable<T extends { ownerId: string }>(
  actor: PipelineActor,
  area: Area,
  what: string,
  row: T | undefined,
  permission: "write" | "run" = "write",
): T {
  const readable = assertReadable(actor, area, what, row);
  const mayAct = permission === "run" ? can(actor.role, "pipelines:run") : can(actor.role, `${area}:write`);
  if (!mayAct || (readable.ownerId !== actor.userId && !canWriteAny(actor, area))) {
    throw forbidden(`You cannot change ${what.toLowerCase()}s of other people.`);
  }
  return readable;
}
