import type { Role } from "../../../shared/permissions.js";
import type { PublicUser } from "../../../shared/schemas/auth.js";
import type { ListQuery, Page } from "../../../shared/schemas/list.js";
import { type Cache, type CacheHolder, cached } from "../../core/cache/index.js";
import type { EventBus } from "../../core/events/index.js";
import type { Database } from "../../db/database.js";
import type { SessionsRepository } from "../../repositories/sessions.js";
import type { UserListField, UsersRepository } from "../../repositories/users.js";
import type { SessionService } from "../auth/sessions.js";
import { DomainError, notFound } from "../errors.js";
import { toPublicUser } from "./public-user.js";

export interface UsersServiceDeps {
  db: Database;
  cache: Cache;
  users: UsersRepository;
  sessionsRepository: SessionsRepository;
  sessions: SessionService;
  events: EventBus;
}

export const userTag = (userId: string) => `user:${userId}`;
const USER_CACHE_TTL_MS = 5 * 60_000;

/** Profiles for everyone; listing, roles and disabling for administrators. */
export class UsersService implements CacheHolder {
  readonly cache: Cache;

  constructor(private readonly deps: UsersServiceDeps) {
    this.cache = deps.cache;
  }

  /**
   * A user as the app shows them, cached by tag: every page load asks for the signed-in user.
   * Changes drop the entry right after commit, and the cache-invalidation consumer repeats it.
   */
  @cached({ name: "users.find", ttlMs: USER_CACHE_TTL_MS, tags: ([id]: [string]) => [userTag(id)] })
  async find(id: string): Promise<PublicUser | null> {
    return this.load(id);
  }

  /** Straight from the database, for callers reacting to a change that the cache may not have seen yet. */
  async load(id: string): Promise<PublicUser | null> {
    const user = await this.deps.users.findById(this.deps.db, id);
    return user ? toPublicUser(user) : null;
  }

  async updateProfile(userId: string, input: { name: string }): Promise<PublicUser> {
    const { db, users, events } = this.deps;
    const updated = await db.transaction(async (tx) => {
      const user = await users.update(tx, userId, { name: input.name });
      if (!user) throw notFound("User");
      await events.publish(tx, "user.profile_updated", { userId, fields: ["name"] }, { kind: "user", id: userId });
      return user;
    });
    await this.dropCached(userId);
    return toPublicUser(updated);
  }

  async list(query: ListQuery<UserListField>): Promise<Page<PublicUser>> {
    const page = await this.deps.users.list(this.deps.db, query);
    return { ...page, items: page.items.map(toPublicUser) };
  }

  async byId(id: string): Promise<PublicUser> {
    const user = await this.find(id);
    if (!user) throw notFound("User");
    return user;
  }

  /** Best effort right after a commit; the consumer retries if the cache could not confirm. */
  private async dropCached(userId: string): Promise<void> {
    await this.cache.invalidate([userTag(userId)]).catch(() => {});
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
    await Promise.all([sessions.forget(result.sessionIds), this.dropCached(userId)]);
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
    await Promise.all([sessions.forget(result.revoked), this.dropCached(userId)]);
    return toPublicUser(result.user);
  }
}
