import type { SessionInfo } from "../../../shared/schemas/auth.js";
import type { EventBus } from "../../core/events/index.js";
import type { Database } from "../../db/database.js";
import type { SessionsRepository } from "../../repositories/sessions.js";
import { DomainError } from "../errors.js";
import { userActor } from "./auth-result.js";
import type { SessionCaller, SessionService } from "./sessions.js";

export interface OwnSessionsDeps {
  db: Database;
  sessionsRepository: SessionsRepository;
  sessions: SessionService;
  events: EventBus;
}

/** A signed-in user's own sessions: seeing them, and ending this one, another one or all. */
export class OwnSessions {
  constructor(private readonly deps: OwnSessionsDeps) {}

  list(caller: SessionCaller): Promise<SessionInfo[]> {
    return this.deps.sessions.listForUser(caller.id, caller.sessionId);
  }

  async logout(caller: SessionCaller): Promise<void> {
    const { db, sessionsRepository, events, sessions } = this.deps;
    await db.transaction(async (tx) => {
      await sessionsRepository.revoke(tx, caller.sessionId, caller.id, new Date());
      await events.publish(
        tx,
        "user.logged_out",
        { userId: caller.id, sessionIds: [caller.sessionId], everywhere: false },
        userActor(caller.id),
      );
    });
    await sessions.forget([caller.sessionId]);
  }

  async logoutAll(caller: SessionCaller): Promise<number> {
    const { db, sessionsRepository, events, sessions } = this.deps;
    const revoked = await db.transaction(async (tx) => {
      const ids = await sessionsRepository.revokeAllForUser(tx, caller.id, new Date());
      await events.publish(
        tx,
        "user.logged_out",
        { userId: caller.id, sessionIds: ids, everywhere: true },
        userActor(caller.id),
      );
      return ids;
    });
    await sessions.forget(revoked);
    return revoked.length;
  }

  async revoke(caller: SessionCaller, sessionId: string): Promise<void> {
    const { db, sessionsRepository, events, sessions } = this.deps;
    const revoked = await db.transaction(async (tx) => {
      const done = await sessionsRepository.revoke(tx, sessionId, caller.id, new Date());
      if (done) {
        await events.publish(
          tx,
          "user.logged_out",
          { userId: caller.id, sessionIds: [sessionId], everywhere: false },
          userActor(caller.id),
        );
      }
      return done;
    });
    // Someone else's session id looks exactly like an unknown one.
    if (!revoked) throw new DomainError("NOT_FOUND", "No such active session.");
    await sessions.forget([sessionId]);
  }
}
