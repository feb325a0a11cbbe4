import type { Actor } from "../../../shared/events.js";
import type { EventBus } from "../../core/events/index.js";
import type { Database } from "../../db/database.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { SessionsRepository } from "../../repositories/sessions.js";
import type { UsersRepository } from "../../repositories/users.js";
import { hashPassword } from "../../utils/crypto.js";
import { nextWholeSecond } from "./auth-result.js";
import type { SessionService } from "./sessions.js";

export interface AdminBootstrapDeps {
  db: Database;
  users: UsersRepository;
  sessionsRepository: SessionsRepository;
  sessions: SessionService;
  events: EventBus;
}

const SYSTEM: Actor = { kind: "system", id: "admin-bootstrap" };

/** ADMIN_EMAIL / ADMIN_PASSWORD at start-up: create that admin, or promote the existing account. */
export class AdminBootstrap {
  constructor(private readonly deps: AdminBootstrapDeps) {}

  async ensure(email: string, password: string): Promise<void> {
    try {
      await this.makeSureAdminExists(email, password);
    } catch (error) {
      // API and worker processes start together and may both create the admin: the unique
      // email decides, and the loser finds the winner's account on a second look.
      if (!isUniqueViolation(error)) throw error;
      await this.makeSureAdminExists(email, password);
    }
  }

  private async makeSureAdminExists(email: string, password: string): Promise<void> {
    const { db, users, events, sessionsRepository, sessions } = this.deps;
    const existing = await users.findByEmail(db, email);
    if (existing?.role === "admin") return;
    const passwordHash = await hashPassword(password);
    const revoked = await db.transaction(async (tx) => {
      if (existing) {
        // Anyone could have signed up with this email before the operator set it (sign-up does
        // not verify addresses): the account becomes admin only with the operator's password,
        // and whoever held it loses every session.
        const now = nextWholeSecond();
        await users.update(tx, existing.id, { role: "admin", passwordHash, passwordChangedAt: now, disabledAt: null });
        const ids = await sessionsRepository.revokeAllForUser(tx, existing.id, now);
        await events.publish(
          tx,
          "user.role_changed",
          { userId: existing.id, from: existing.role, to: "admin" },
          SYSTEM,
        );
        await events.publish(tx, "user.password_reset", { userId: existing.id, revokedSessionIds: ids }, SYSTEM);
        return ids;
      }
      const user = await users.insert(tx, {
        email,
        name: "Administrator",
        role: "admin",
        passwordHash,
        // The operator chose this address: there is nobody to send a link to first.
        emailVerifiedAt: new Date(),
      });
      await events.publish(tx, "user.registered", { userId: user.id, email }, SYSTEM);
      return [];
    });
    await sessions.forget(revoked);
  }
}
