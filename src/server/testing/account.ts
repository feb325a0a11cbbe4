import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../db/database.js";
import { emailVerifications, sessions } from "../db/schema/index.js";
import type { TestApp } from "./app.js";

/**
 * What account tests read or arrange below the API: mails the file mailer wrote, verification
 * links as stored, sessions as PostgreSQL holds them, the ledger and the audit log. Tests under
 * src/server/api call these instead of Drizzle (see .dependency-cruiser.cjs).
 */

/** Every mail written to `email`, oldest first: subject and text. */
export async function mailsTo(app: TestApp, email: string): Promise<Array<{ subject: string; text: string }>> {
  const dir = join(app.gantry.deps.config.dataDir, "mail");
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(`-${email}.eml`)).sort();
  return Promise.all(
    files.map(async (file) => {
      const mail = await readFile(join(dir, file), "utf8");
      return { subject: mail.match(/^Subject: (.*)$/m)?.[1] ?? "", text: mail };
    }),
  );
}

/** The token of a verification mail's link. */
export function verificationTokenIn(text: string): string {
  const token = text.match(/\/verify-email\?token=([^\s]+)/)?.[1];
  if (!token) throw new Error("no verification link in the mail");
  return decodeURIComponent(token);
}

/** The verification links stored for an account, as stored. */
export function storedVerificationLinks(app: TestApp, userId: string) {
  return app.gantry.deps.database.db.select().from(emailVerifications).where(eq(emailVerifications.userId, userId));
}

/** Makes every link of the account expired, as if a day had passed. */
export async function expireVerificationLinks(app: TestApp, userId: string): Promise<void> {
  await app.gantry.deps.database.db
    .update(emailVerifications)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(emailVerifications.userId, userId));
}

/** The account's sessions as PostgreSQL holds them. */
export function storedSessions(app: TestApp, userId: string) {
  return app.gantry.deps.database.db
    .select({ id: sessions.id, revokedAt: sessions.revokedAt, ip: sessions.ip, userAgent: sessions.userAgent })
    .from(sessions)
    .where(eq(sessions.userId, userId));
}

/** Extra session rows for an account (a long export), inserted directly. */
export async function seedSessions(app: TestApp, userId: string, count: number): Promise<void> {
  await app.gantry.deps.database.db.execute(
    sql`insert into sessions (user_id, expires_at, ip, user_agent)
        select ${userId}::uuid, now() + interval '1 day', '10.0.0.' || (g % 250), 'seeded agent ' || g
        from generate_series(1, ${count}) g`,
  );
}

/** Ledger transactions that do not sum to zero per currency (none, in a sound ledger), and the entry count. */
export async function ledgerState(app: TestApp): Promise<{ unbalanced: unknown[]; entries: number }> {
  const db = app.gantry.deps.database.db;
  const unbalanced = await queryRows(
    db,
    sql`select transaction_id, currency, sum(amount)::text as total from ledger_entries
        group by transaction_id, currency having sum(amount) <> 0`,
  );
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ledger_entries`);
  return { unbalanced, entries: Number(row?.n ?? 0) };
}

/** Audit entries (as recorded) whose payload or actor concerns the account, and those whose text holds `needle`. */
export async function auditFor(app: TestApp, userId: string, needle: string) {
  const db = app.gantry.deps.database.db;
  const entries = await queryRows<{ id: string; type: string; actor_id: string | null; payload: unknown }>(
    db,
    sql`select id, type, actor_id, payload from audit_log
        where payload->>'userId' = ${userId} or actor_id = ${userId} order by occurred_at, id`,
  );
  const [mentions] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from audit_log where payload::text like ${`%${needle}%`}`,
  );
  const [inOutbox] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from outbox where envelope::text like ${`%${needle}%`}`,
  );
  return { entries, mentions: Number(mentions?.n ?? 0), outboxMentions: Number(inOutbox?.n ?? 0) };
}
