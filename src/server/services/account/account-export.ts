import { Readable } from "node:stream";
import type { Caller } from "../../../shared/ownership.js";
import { can } from "../../../shared/permissions.js";
import type { EventBus } from "../../core/events/index.js";
import type { Database } from "../../db/database.js";
import type { AccountDataRepository } from "../../repositories/account-data.js";
import type { UsersRepository } from "../../repositories/users.js";
import { DomainError, notFound } from "../errors.js";
import { toPublicUser } from "../users/public-user.js";

/** Rows read per query: the export holds at most one page of one section in memory. */
export const EXPORT_PAGE_ROWS = 200;

export interface AccountExportLimits {
  /** EXPORT_MAX_CONCURRENT: data exports streaming at once in this process. */
  maxConcurrent: number;
  /** EXPORT_MAX_CONCURRENT_PER_USER: of those, how many one caller may hold. */
  maxConcurrentPerUser: number;
  /** EXPORT_TIMEOUT_MS: an export still streaming after this long is ended. */
  timeoutMs: number;
}

export interface AccountExportDeps {
  db: Database;
  users: UsersRepository;
  accountData: AccountDataRepository;
  events: EventBus;
  limits: AccountExportLimits;
}

type Page = (after: string | undefined, limit: number) => Promise<Array<{ id: string }>>;

/**
 * "Download my data": the account's profile, sessions, payments, refunds, data sets (their
 * description; the rows are each data set's CSV export) and pipelines with their runs, as one
 * JSON document streamed page by page. The same limits as CSV exports hold: a few at once, a
 * few per caller, and a time limit.
 */
export class AccountExport {
  private running = 0;
  private readonly byCaller = new Map<string, number>();

  constructor(private readonly deps: AccountExportDeps) {}

  /** `subjectId`: whose data; someone else's only for an administrator. */
  async open(caller: Caller, subjectId: string): Promise<{ fileName: string; body: Readable }> {
    if (caller.id !== subjectId && !can(caller.role, "users:manage")) throw notFound("User");
    const user = await this.deps.users.findById(this.deps.db, subjectId);
    if (!user) throw notFound("User");
    const release = this.takeSlot(caller.id);
    try {
      await this.deps.db.transaction((tx) =>
        this.deps.events.publish(tx, "account.data_exported", { userId: subjectId }, { kind: "user", id: caller.id }),
      );
    } catch (error) {
      release();
      throw error;
    }
    const deadline = Date.now() + this.deps.limits.timeoutMs;
    const body = Readable.from(this.document(toPublicUser(user), deadline, release), { objectMode: false });
    // A stream destroyed before its first read never enters the generator's `finally`.
    body.once("close", release);
    const day = new Date().toISOString().slice(0, 10);
    return { fileName: `gantry-account-${user.id}-${day}.json`, body };
  }

  private takeSlot(callerId: string): () => void {
    const { maxConcurrent, maxConcurrentPerUser } = this.deps.limits;
    if (this.running >= maxConcurrent) {
      throw new DomainError(
        "TOO_MANY_REQUESTS",
        `Too many exports are running (EXPORT_MAX_CONCURRENT=${maxConcurrent}). Try again when one has finished.`,
        { retryAfterMs: 5000 },
      );
    }
    const mine = this.byCaller.get(callerId) ?? 0;
    if (mine >= maxConcurrentPerUser) {
      throw new DomainError(
        "TOO_MANY_REQUESTS",
        `You already have ${mine} exports running (EXPORT_MAX_CONCURRENT_PER_USER=${maxConcurrentPerUser}). Try again when one has finished.`,
        { retryAfterMs: 5000 },
      );
    }
    this.running += 1;
    this.byCaller.set(callerId, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      const left = (this.byCaller.get(callerId) ?? 1) - 1;
      if (left > 0) this.byCaller.set(callerId, left);
      else this.byCaller.delete(callerId);
    };
  }

  /** The document, as text pieces; the slot is given back however it ends (done, error, client gone). */
  private async *document(
    profile: ReturnType<typeof toPublicUser>,
    deadline: number,
    release: () => void,
  ): AsyncGenerator<string> {
    const { db, accountData } = this.deps;
    const id = profile.id;
    try {
      yield `{"format":"gantry-account-export/1","exportedAt":${JSON.stringify(new Date())},"profile":${JSON.stringify(profile)}`;
      const sections: Array<[string, Page, ((row: { id: string }) => unknown)?]> = [
        ["sessions", (after, limit) => accountData.sessionsPage(db, id, after, limit)],
        ["payments", (after, limit) => accountData.paymentsPage(db, id, after, limit)],
        ["refunds", (after, limit) => accountData.refundsPage(db, id, after, limit)],
        [
          "datasets",
          (after, limit) => accountData.datasetsPage(db, id, after, limit),
          // The rows themselves: each data set's streamed CSV export.
          (row) => ({ ...row, rowsExport: `/api/datasets/${row.id}/export.csv` }),
        ],
        ["pipelines", (after, limit) => accountData.pipelinesPage(db, id, after, limit)],
        ["pipelineRuns", (after, limit) => accountData.runsPage(db, id, after, limit)],
      ];
      for (const [name, page, shape] of sections) {
        yield `,${JSON.stringify(name)}:[`;
        let after: string | undefined;
        let first = true;
        for (;;) {
          if (Date.now() > deadline) {
            throw new Error(`account export ran past EXPORT_TIMEOUT_MS (${this.deps.limits.timeoutMs} ms)`);
          }
          const rows = await page(after, EXPORT_PAGE_ROWS);
          if (rows.length === 0) break;
          const text = rows.map((row) => JSON.stringify(shape ? shape(row) : row)).join(",");
          yield first ? text : `,${text}`;
          first = false;
          after = rows.at(-1)?.id;
          if (rows.length < EXPORT_PAGE_ROWS) break;
        }
        yield "]";
      }
      yield "}\n";
    } finally {
      release();
    }
  }
}
