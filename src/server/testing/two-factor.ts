import { eq } from "drizzle-orm";
import { twoFactorCredentials, twoFactorRecoveryCodes } from "../db/schema/index.js";
import type { TestApp } from "./app.js";

/** What the database holds of a user's two-factor set-up, to check what is kept at rest. */
export async function storedTwoFactor(
  app: TestApp,
  userId: string,
): Promise<{ secretCiphertext: string | undefined; codeHashes: string[] }> {
  const db = app.gantry.deps.database.db;
  const [credential] = await db.select().from(twoFactorCredentials).where(eq(twoFactorCredentials.userId, userId));
  const codes = await db.select().from(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, userId));
  return { secretCiphertext: credential?.secretCiphertext, codeHashes: codes.map((code) => code.codeHash) };
}
