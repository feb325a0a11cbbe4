import { eq } from "drizzle-orm";
import { passkeys, ssoIdentities, users, webauthnChallenges } from "../db/schema/index.js";
import type { TestApp } from "./app.js";

/** Database states the passkey tests need that no procedure makes (yet), and rows they inspect. */

/** Makes every outstanding challenge of this purpose a second old. */
export async function expireChallenges(app: TestApp, purpose: "registration" | "authentication"): Promise<void> {
  await app.gantry.deps.database.db
    .update(webauthnChallenges)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(webauthnChallenges.purpose, purpose));
}

/** An account with no password, as a sign-up through single sign-on makes. */
export async function dropPassword(app: TestApp, userId: string): Promise<void> {
  await app.gantry.deps.database.db.update(users).set({ passwordHash: null }).where(eq(users.id, userId));
}

/** A single sign-on identity linked to the account, as the SSO callback links one. */
export async function linkSsoIdentity(app: TestApp, userId: string): Promise<void> {
  await app.gantry.deps.database.db
    .insert(ssoIdentities)
    .values({ userId, issuer: "https://id.example.test", subject: `subject-${userId}` });
}

export async function storedPasskey(app: TestApp, credentialId: string) {
  const rows = await app.gantry.deps.database.db.select().from(passkeys).where(eq(passkeys.credentialId, credentialId));
  return rows[0];
}
