import type { Role } from "../../../shared/permissions.js";
import type { PublicUser } from "../../../shared/schemas/auth.js";
import type { ListQuery, Page } from "../../../shared/schemas/list.js";
import type { EventBus } from "../../core/events/index.js";
import type { Database } from "../../db/client.js";
import type { SessionsRepository } from "../../repositories/sessions.js";
import type { UserListField, UsersRepository } from "../../repositories/users.js";
import type { SessionService } from "../auth/sessions.js";
import { DomainError, notFound } from "../errors.js";
import { toPublicUser } from "./public-user.js";

export interface UsersServiceDeps {
  db: Database;
  users: UsersRepository;
  sessionsRepository: SessionsRepository;
  sessions: SessionService;
  events: EventBus;
}

/** Profiles for everyone; listing, roles and disabling for administrators. */
export class UsersService {
  constructor(private readonly deps: UsersServiceDeps) {}

  async updateProfile(userId: string, input: { name: string }): Promise<PublicUser> {
    const { db, users, events } = this.deps;
    const updated = await db.transaction(async (tx) => {
      const user = await users.update(tx, userId, { name: input.name });
      if (!user) throw notFound("User");
      await events.publish(tx, "user.profile_updated", { userId, fields: ["name"] }, { kind: "user", id: userId });
      return user;
    });
    return toPublicUser(updated);
  }

  async list(query: ListQuery<UserListField>): Promise<Page<PublicUser>> {
    const page = await this.deps.users.list(this.deps.db, query);
    return { ...page, items: page.items.map(toPublicUser) };
  }

  async byId(id: string): Promise<PublicUser> {
    const user = await this.deps.users.findById(this.deps.db, id);
    if (!user) throw notFound("User");
    return toPublicUser(user);
  }

  /** The new role applies on the user's very next request: their live sessions are dropped. */
  async setRole(adminId: string, userId: string, role: Role): Promise<PublicUser> {
    if (adminId === userId) throw new DomainError("CONFLICT", "You cannot change your own role.");
    const { db, users, sessionsRepository, events, sessions } = this.deps;
    const result = await db.transaction(async (tx) => {
      const user = await users.findById(tx, userId);
      if (!user) throw notFound("User");
      if (user.role === role) return { user, sessionIds: [] };
      const updated = await users.update(tx, userId, { role });
      await events.publish(
        tx,
        "user.role_changed",
        { userId, from: user.role, to: role },
        { kind: "user", id: adminId },
      );
      const active = await sessionsRepository.listActive(tx, userId, new Date());
      return { user: updated ?? user, sessionIds: active.map((s) => s.id) };
    });
    await sessions.forget(result.sessionIds);
    return toPublicUser(result.user);
  }

  /** Disabling ends every session of the account at once; enabling lets it sign in again. */
  async setDisabled(adminId: string, userId: string, disabled: boolean): Promise<PublicUser> {
    if (adminId === userId) throw new DomainError("CONFLICT", "You cannot disable your own account.");
    const { db, users, sessionsRepository, events, sessions } = this.deps;
    const result = await db.transaction(async (tx) => {
      const user = await users.findById(tx, userId);
      if (!user) throw notFound("User");
      if ((user.disabledAt !== null) === disabled) return { user, revoked: [] as string[] };
      const now = new Date();
      const updated = await users.update(tx, userId, { disabledAt: disabled ? now : null });
      const revoked = disabled ? await sessionsRepository.revokeAllForUser(tx, userId, now) : [];
      await events.publish(
        tx,
        "user.disabled",
        { userId, disabled, revokedSessionIds: revoked },
        { kind: "user", id: adminId },
      );
      return { user: updated ?? user, revoked };
    });
    await sessions.forget(result.revoked);
    return toPublicUser(result.user);
  }
}
