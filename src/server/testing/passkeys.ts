import { eq } from "drizzle-orm";
import { passkeys, users, webauthnChallenges } from "../db/schema/index.js";
import type { TestApp } from "./app.js";

/** Database states the passkey tests need that no procedure makes (yet), and rows they inspect. */

/** Makes every outstanding challenge of this purpose a second old. */
export async function expireChallenges(app: TestApp, purpose: "registration" | "authentication"): Promise<void> {
  await app.gantry.deps.database.db
    .update(webauthnChallenges)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(webauthnChallenges.purpose, purpose));
}

/** An account with no password, as single sign-on may come to make. */
export async function dropPassword(app: TestApp, userId: string): Promise<void> {
  await app.gantry.deps.database.db.update(users).set({ passwordHash: "" }).where(eq(users.id, userId));
}

export async function storedPasskey(app: TestApp, credentialId: string) {
  const rows = await app.gantry.deps.database.db.select().from(passkeys).where(eq(passkeys.credentialId, credentialId));
  return rows[0];
}
