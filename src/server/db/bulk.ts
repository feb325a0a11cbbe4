import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { type DatabaseHandle, type Executor, queryRows } from "./client.js";
import { hasSqlState } from "./errors.js";

/** Whole records of COPY input (never a record cut in two), and how many. */
export interface CopyChunk {
  data: Buffer;
  records: number;
}

/** A COPY that the database refused; `recordsBefore` maps its line numbers back to the file. */
export class CopyFailure extends Error {
  override name = "CopyFailure";
  constructor(
    override readonly cause: unknown,
    /** Records of the input sent in earlier COPY statements (PGlite loads in several). */
    readonly recordsBefore: number,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export interface CopyLoad {
  /** Statements that create the (empty) target table. */
  createSql: readonly string[];
  /** Drops it again; used when a load fails on PGlite. */
  dropSql: string;
  /** `"table" ("a", "b")` */
  target: string;
  /** The COPY options, e.g. `format csv, force_null ("a")`. */
  options: string;
  chunks: AsyncIterable<CopyChunk>;
  signal?: AbortSignal | undefined;
}

/** PGlite reads a COPY blob whole into memory: keep each one modest. */
const PGLITE_BLOB_BYTES = 8 * 1024 * 1024;

/**
 * Creates a table and fills it with COPY, never row by row. On PostgreSQL the CREATE and the
 * COPY share one transaction on one connection: the table appears with all its rows or not at
 * all. PGlite has a single connection, so one long transaction would stall every other query of
 * the embedded app; there the load is split into blobs of a few MB, each its own statement,
 * and the table is dropped if any of them fails. Timestamps without an offset are read as UTC.
 */
export async function createAndCopy(handle: DatabaseHandle, load: CopyLoad): Promise<void> {
  const { driver } = handle;
  if (driver.kind === "postgres") {
    try {
      await driver.sql.begin(async (tx) => {
        await tx.unsafe("set local timezone to 'UTC'");
        for (const statement of load.createSql) await tx.unsafe(statement);
        const query = tx.unsafe(`copy ${load.target} from stdin with (${load.options})`);
        const refused = copyRefusal(query);
        const writable = await query.writable();
        const bytes = (async function* () {
          for await (const chunk of load.chunks) yield chunk.data;
        })();
        const sent = pipeline(Readable.from(bytes), writable, ...(load.signal ? [{ signal: load.signal }] : []));
        sent.catch(() => {});
        try {
          await Promise.race([sent, refused]);
        } catch (error) {
          writable.destroy();
          throw error;
        }
      });
    } catch (error) {
      throw asCopyFailure(error, 0);
    }
    return;
  }

  const { pglite } = driver;
  for (const statement of load.createSql) await pglite.exec(statement);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let pendingRecords = 0;
  let recordsBefore = 0;
  const flush = async () => {
    if (pendingRecords === 0) return;
    // Our buffers are never shared memory; the cast satisfies the DOM typing the client build sees.
    const blob = new Blob(pending as Array<Uint8Array<ArrayBuffer>>);
    pending = [];
    pendingBytes = 0;
    try {
      await pglite.transaction(async (tx) => {
        await tx.query("set local timezone to 'UTC'");
        await tx.query(`copy ${load.target} from '/dev/blob' with (${load.options})`, [], { blob });
      });
    } catch (error) {
      throw new CopyFailure(error, recordsBefore);
    }
    recordsBefore += pendingRecords;
    pendingRecords = 0;
  };
  try {
    for await (const chunk of load.chunks) {
      load.signal?.throwIfAborted();
      pending.push(chunk.data);
      pendingBytes += chunk.data.length;
      pendingRecords += chunk.records;
      if (pendingBytes >= PGLITE_BLOB_BYTES) await flush();
    }
    load.signal?.throwIfAborted();
    await flush();
  } catch (error) {
    await pglite.exec(load.dropSql).catch(() => {});
    throw asCopyFailure(error, recordsBefore);
  }
}

/**
 * The server's refusal of a COPY FROM STDIN. postgres.js resolves the query with the writable
 * stream, and an ErrorResponse that arrives after the stream was ended goes to the query's
 * `reject`, which no longer does anything: the stream's end would wait forever. Hooking
 * `reject` surfaces that error (with its line number) instead.
 */
function copyRefusal(query: object): Promise<never> {
  const hooked = query as { reject: (error: unknown) => void };
  const original = hooked.reject;
  const refused = new Promise<never>((_, reject) => {
    hooked.reject = (error: unknown) => {
      reject(error);
      original.call(query, error);
    };
  });
  refused.catch(() => {});
  return refused;
}

function asCopyFailure(error: unknown, recordsBefore: number): unknown {
  if (error instanceof CopyFailure) return error;
  // Errors of our own input (a bad record found while scanning) pass through untouched.
  return hasSqlState(error) ? new CopyFailure(error, recordsBefore) : error;
}

/**
 * Streams `COPY (<query>) TO STDOUT` (PostgreSQL) without holding the result. PGlite can only
 * hand the whole result over as one blob, which is fine for the sizes embedded mode is for.
 */
export async function copyOut(handle: DatabaseHandle, query: string, options: string): Promise<Readable> {
  const { driver } = handle;
  if (driver.kind === "postgres") {
    return driver.sql.unsafe(`copy (${query}) to stdout with (${options})`).readable();
  }
  const result = await driver.pglite.query(`copy (${query}) to '/dev/blob' with (${options})`);
  const blob = result.blob;
  if (!blob) return Readable.from([]);
  return Readable.fromWeb(blob.stream() as import("node:stream/web").ReadableStream<Uint8Array>);
}

/** The server process serving this transaction, so another connection can cancel its statement. */
export async function backendPid(tx: Executor): Promise<number | null> {
  const rows = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
  return rows[0] ? Number(rows[0].pid) : null;
}

/**
 * Asks PostgreSQL to cancel the statement `pid` is running (the transaction then fails and rolls
 * back). PGlite runs statements synchronously in this process and cannot be interrupted: the
 * caller checks its signal again before committing instead.
 */
export async function cancelBackend(handle: DatabaseHandle, pid: number): Promise<void> {
  if (handle.driver.kind !== "postgres") return;
  await handle.driver.sql`select pg_cancel_backend(${pid})`;
}
