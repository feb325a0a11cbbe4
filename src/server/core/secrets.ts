import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
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
 * Configured values (JWT_SECRET, SANDBOX_WEBHOOK_SECRET) always win over these.
 */
export interface GeneratedSecrets {
  jwt: string;
  sandboxWebhook: string;
}

const NAMES = { jwt: "jwt", sandboxWebhook: "sandbox-webhook" } as const;
const secret = z.string().min(32);
const fileSchema = z.object({ jwt: secret, sandboxWebhook: secret });

/** 32 random bytes, base64url: 43 characters. */
const fresh = (): GeneratedSecrets => ({
  jwt: randomBytes(32).toString("base64url"),
  sandboxWebhook: randomBytes(32).toString("base64url"),
});

/** The secrets this deployment signs with: configured ones, generated ones for the rest. */
export async function resolveSecrets(
  config: Config,
  database: DatabaseHandle,
): Promise<{ jwt: string; sandboxWebhook: string | undefined }> {
  const sandbox = config.payments.sandbox;
  if (config.jwtSecret && (!sandbox || sandbox.webhookSecret)) {
    return { jwt: config.jwtSecret, sandboxWebhook: sandbox?.webhookSecret };
  }
  const generated = await loadOrCreateSecrets(database, config.dataDir);
  return {
    jwt: config.jwtSecret ?? generated.jwt,
    sandboxWebhook: sandbox ? (sandbox.webhookSecret ?? generated.sandboxWebhook) : undefined,
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
    ])
    .onConflictDoNothing();
  const rows = await database.db
    .select()
    .from(generatedSecrets)
    .where(inArray(generatedSecrets.name, Object.values(NAMES)));
  const value = (name: string) => rows.find((row) => row.name === name)?.value;
  return fileSchema.parse({ jwt: value(NAMES.jwt), sandboxWebhook: value(NAMES.sandboxWebhook) });
}

async function inFile(path: string): Promise<GeneratedSecrets> {
  const existing = await readSecretsFile(path);
  if (existing) return existing;
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
  if (!created) throw new Error(`${path}: could not create the secrets file`);
  return created;
}

async function readSecretsFile(path: string): Promise<GeneratedSecrets | undefined> {
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
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) throw new Error(`${path}: not a valid secrets file; remove it to generate new secrets`);
  return parsed.data;
}
