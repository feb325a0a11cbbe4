import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inArray } from "drizzle-orm";
import { z } from "zod";
import type { Config } from "../config.js";
import type { DatabaseHandle } from "../db/client.js";
import { generatedSecrets } from "../db/schema/index.js";

/**
 * Secrets for a deployment that configured none. No secret may come from the source code
 * (anyone could forge tokens and webhooks with it), so the first instance to start generates
 * them at random, and every instance and every restart finds the same ones:
 * - on embedded PGlite, in DATA_DIR/secrets.json, readable by its owner only;
 * - on PostgreSQL, in the `generated_secrets` table, which several instances share.
 * Configured values (JWT_SECRET, SANDBOX_WEBHOOK_SECRET, TWO_FACTOR_ENCRYPTION_KEY) always win
 * over these.
 */
export interface GeneratedSecrets {
  jwt: string;
  sandboxWebhook: string;
  /** Encrypts authenticator-app secrets at rest (services/auth/two-factor-secret-box.ts). */
  twoFactor: string;
}

const NAMES = { jwt: "jwt", sandboxWebhook: "sandbox-webhook", twoFactor: "two-factor" } as const;
const secret = z.string().min(32);
const fileSchema = z.object({ jwt: secret, sandboxWebhook: secret, twoFactor: secret });
/** Files written before two-factor existed lack its key; it is added on the next start. */
const olderFileSchema = fileSchema.partial({ twoFactor: true });

/** 32 random bytes, base64url: 43 characters. */
const randomSecret = () => randomBytes(32).toString("base64url");
const fresh = (): GeneratedSecrets => ({
  jwt: randomSecret(),
  sandboxWebhook: randomSecret(),
  twoFactor: randomSecret(),
});

/** The secrets this deployment uses: configured ones, generated ones for the rest. */
export async function resolveSecrets(
  config: Config,
  database: DatabaseHandle,
): Promise<{ jwt: string; sandboxWebhook: string | undefined; twoFactor: string }> {
  const sandbox = config.payments.sandbox;
  const configuredTwoFactor = config.twoFactor.encryptionKey;
  if (config.jwtSecret && configuredTwoFactor && (!sandbox || sandbox.webhookSecret)) {
    return { jwt: config.jwtSecret, sandboxWebhook: sandbox?.webhookSecret, twoFactor: configuredTwoFactor };
  }
  const generated = await loadOrCreateSecrets(database, config.dataDir);
  return {
    jwt: config.jwtSecret ?? generated.jwt,
    sandboxWebhook: sandbox ? (sandbox.webhookSecret ?? generated.sandboxWebhook) : undefined,
    twoFactor: configuredTwoFactor ?? generated.twoFactor,
  };
}

export async function loadOrCreateSecrets(database: DatabaseHandle, dataDir: string): Promise<GeneratedSecrets> {
  return database.kind === "pglite" ? inFile(join(dataDir, "secrets.json")) : inDatabase(database);
}

async function inDatabase(database: DatabaseHandle): Promise<GeneratedSecrets> {
  const candidate = fresh();
  // Instances starting together each offer theirs; the first insert wins and all read it back.
  await database.db
    .insert(generatedSecrets)
    .values([
      { name: NAMES.jwt, value: candidate.jwt },
      { name: NAMES.sandboxWebhook, value: candidate.sandboxWebhook },
      { name: NAMES.twoFactor, value: candidate.twoFactor },
    ])
    .onConflictDoNothing();
  const rows = await database.db
    .select()
    .from(generatedSecrets)
    .where(inArray(generatedSecrets.name, Object.values(NAMES)));
  const value = (name: string) => rows.find((row) => row.name === name)?.value;
  return fileSchema.parse({
    jwt: value(NAMES.jwt),
    sandboxWebhook: value(NAMES.sandboxWebhook),
    twoFactor: value(NAMES.twoFactor),
  });
}

async function inFile(path: string): Promise<GeneratedSecrets> {
  const existing = await readSecretsFile(path);
  if (existing?.twoFactor) return { ...existing, twoFactor: existing.twoFactor };
  if (existing) return addTwoFactorKey(path, existing);
  await mkdir(join(path, ".."), { recursive: true });
  // Written whole under a private name, then linked into place: link() fails if the file
  // exists, so a concurrent start never sees half a file and both keep the first one linked.
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, `${JSON.stringify(fresh(), null, 2)}\n`, { mode: 0o600, flag: "wx" });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(temporary).catch(() => {});
  }
  const created = await readSecretsFile(path);
  if (!created?.twoFactor) throw new Error(`${path}: could not create the secrets file`);
  return { ...created, twoFactor: created.twoFactor };
}

/**
 * A file from before two-factor existed: the same secrets plus a new key, written whole under
 * a private name and renamed over it. Embedded PGlite lets one process own DATA_DIR, so no
 * other start races this one.
 */
async function addTwoFactorKey(path: string, older: Omit<GeneratedSecrets, "twoFactor">): Promise<GeneratedSecrets> {
  const upgraded: GeneratedSecrets = { ...older, twoFactor: randomSecret() };
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, `${JSON.stringify(upgraded, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  await rename(temporary, path);
  return upgraded;
}

async function readSecretsFile(path: string): Promise<z.infer<typeof olderFileSchema> | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  // Someone widened its permissions: narrow them back, it holds the keys to every session.
  if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const parsed = olderFileSchema.safeParse(data);
  if (!parsed.success) throw new Error(`${path}: not a valid secrets file; remove it to generate new secrets`);
  return parsed.data;
}
