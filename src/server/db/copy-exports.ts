import type { Readable } from "node:stream";
import postgres from "postgres";
import { DomainError } from "../utils/domain-error.js";
import { copyOutWhole } from "./bulk/pglite.js";
import type { DatabaseHandle } from "./client.js";
import { userStatementSessionSettings } from "./statement-limits.js";

export interface CopyExportLimits {
  /** EXPORT_MAX_CONCURRENT: exports streaming at once; the next one is refused. */
  maxConcurrent: number;
  /** EXPORT_MAX_CONCURRENT_PER_USER: of those, how many one user may hold; their next is refused. */
  maxConcurrentPerUser: number;
  /** EXPORT_TIMEOUT_MS: an export still streaming after this long is ended. */
  timeoutMs: number;
}

/** Seen in pg_stat_activity, so an operator can tell export backends from the rest. */
const EXPORT_APPLICATION_NAME = "gantry-export";

interface Running {
  stop(reason: Error): void;
  done: Promise<void>;
}

/**
 * `COPY (<query>) TO STDOUT` for downloads that may take minutes and whose client may vanish.
 * On PostgreSQL each export gets a connection of its own, outside the shared pool, so a stalled
 * or abandoned download never holds a connection that other requests queue on. The connection
 * is closed (ending the COPY on the server) when the stream ends, is destroyed by its reader (the
 * client went away), runs past EXPORT_TIMEOUT_MS, or the server shuts down. At most
 * EXPORT_MAX_CONCURRENT run at once, and at most EXPORT_MAX_CONCURRENT_PER_USER of them for one
 * user (else one account reading a byte a minute could hold every slot for EXPORT_TIMEOUT_MS);
 * the next is refused with TOO_MANY_REQUESTS.
 */
export class CopyExports {
  private readonly running = new Set<Running>();
  /** Exports streaming now, by the user who asked for them. */
  private readonly byUser = new Map<string, number>();
  private stopping = false;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly limits: CopyExportLimits,
  ) {}

  /** Exports streaming now. */
  get active(): number {
    return this.running.size;
  }

  /** `userId`: whose export this is, counted against EXPORT_MAX_CONCURRENT_PER_USER. */
  async open(query: string, options: string, userId: string): Promise<Readable> {
    if (this.stopping) throw new DomainError("SERVICE_UNAVAILABLE", "The server is shutting down. Please try again.");
    const { maxConcurrent, maxConcurrentPerUser } = this.limits;
    if (this.running.size >= maxConcurrent) {
      throw new DomainError(
        "TOO_MANY_REQUESTS",
        `Too many CSV exports are running (EXPORT_MAX_CONCURRENT=${maxConcurrent}). Try again when one has finished.`,
        { retryAfterMs: 5000 },
      );
    }
    const mine = this.byUser.get(userId) ?? 0;
    if (mine >= maxConcurrentPerUser) {
      throw new DomainError(
        "TOO_MANY_REQUESTS",
        `You already have ${mine} CSV exports running (EXPORT_MAX_CONCURRENT_PER_USER=${maxConcurrentPerUser}). Try again when one has finished.`,
        { retryAfterMs: 5000 },
      );
    }
    // The slot is taken before the first await, so concurrent requests cannot all squeeze in.
    let stop: (reason: Error) => void = () => {};
    let release: () => void = () => {};
    const slot: Running = {
      stop: (reason) => stop(reason),
      done: new Promise<void>((resolve) => {
        release = resolve;
      }),
    };
    this.running.add(slot);
    this.byUser.set(userId, mine + 1);
    let freed = false;
    const free = () => {
      if (freed) return;
      freed = true;
      this.running.delete(slot);
      const left = (this.byUser.get(userId) ?? 1) - 1;
      if (left > 0) this.byUser.set(userId, left);
      else this.byUser.delete(userId);
      release();
    };
    try {
      const opened = await this.start(query, options);
      stop = (reason) => opened.stream.destroy(reason);
      // Whatever ends the stream (its end, an error, a reader that destroyed it) ends the export.
      opened.stream.once("close", () => {
        clearTimeout(timer);
        opened.close().finally(free);
      });
      const timer = setTimeout(() => {
        // The status line is long gone: the reader sees the download cut short.
        opened.stream.destroy(new Error(`The export took longer than EXPORT_TIMEOUT_MS=${this.limits.timeoutMs} ms.`));
      }, this.limits.timeoutMs);
      timer.unref();
      return opened.stream;
    } catch (error) {
      free();
      throw error;
    }
  }

  /** Ends every running export and waits until their connections are closed (shutdown). */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const all = [...this.running];
    for (const export_ of all) export_.stop(new Error("The server is shutting down."));
    await Promise.all(all.map((export_) => export_.done));
  }

  private async start(query: string, options: string): Promise<{ stream: Readable; close: () => Promise<void> }> {
    const statement = `copy (${query}) to stdout with (${options})`;
    const { driver } = this.handle;
    if (driver.kind === "pglite") {
      // PGlite hands the result over whole; there is no connection to hold.
      return { stream: await copyOutWhole(driver.pglite, query, options), close: async () => {} };
    }
    const sql = postgres(driver.url, {
      max: 1,
      onnotice: () => {},
      connect_timeout: 5,
      prepare: false,
      connection: { application_name: EXPORT_APPLICATION_NAME },
    });
    const shared = driver.sql;
    let pid: number | undefined;
    let completed = false;
    const close = async () => {
      // A backend blocked writing to a reader that left neither notices a closed socket nor
      // honours a cancel; terminating it is what ends the COPY (allowed for one's own backends).
      if (!completed && pid !== undefined) await shared`select pg_terminate_backend(${pid})`.catch(() => {});
      await sql.end({ timeout: 0 }).catch(() => {});
    };
    try {
      for (const setting of userStatementSessionSettings(this.limits.timeoutMs)) await sql.unsafe(setting);
      // PostgreSQL 14+: a backend still sorting notices within a second that its client is gone.
      await sql.unsafe("set client_connection_check_interval = 1000").catch(() => {});
      const [backend] = await sql<Array<{ pid: number }>>`select pg_backend_pid() as pid`;
      pid = backend?.pid;
      const stream = (await sql.unsafe(statement).readable()) as unknown as Readable;
      stream.once("end", () => {
        completed = true;
      });
      // The driver destroys the stream with an error when the connection closes; a reader that
      // already left has no listener, and an unhandled 'error' would bring the process down.
      stream.on("error", () => {});
      return { stream, close };
    } catch (error) {
      await close();
      throw error;
    }
  }
}
