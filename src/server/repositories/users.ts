import { eq, type InferSelectModel } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { users } from "../db/schema/index.js";
import { BaseRepository } from "./base.js";

export type UserRow = InferSelectModel<typeof users>;
export type UserListField = "email" | "name" | "role" | "createdAt";

export class UsersRepository extends BaseRepository<typeof users, UserListField> {
  constructor() {
    super(users, { email: users.email, name: users.name, role: users.role, createdAt: users.createdAt });
  }

  async findByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
    const rows = await db.select().from(users).where(eq(users.email, email)).limit(1);
    return rows[0];
  }
}
