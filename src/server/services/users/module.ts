import type { Cache } from "../../core/cache/index.js";
import type { EventBus } from "../../core/events/index.js";
import type { Database } from "../../db/database.js";
import { SessionsRepository } from "../../repositories/sessions.js";
import { UsersRepository } from "../../repositories/users.js";
import type { SessionService } from "../auth/sessions.js";
import { UsersService } from "./users-service.js";

/** Builds the users domain: profiles, and the administrators' account management. */
export function createUsers(options: { db: Database; cache: Cache; events: EventBus; sessions: SessionService }) {
  return new UsersService({
    ...options,
    users: new UsersRepository(),
    sessionsRepository: new SessionsRepository(),
  });
}
