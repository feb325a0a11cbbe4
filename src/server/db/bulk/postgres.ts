import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import { type Executor, queryRows } from "../database.js";
import { asCopyFailure, type BulkDriver, type CopyLoad } from "./port.js";

/** PostgreSQL through postgres.js: COPY streams over one connection, statements can be canceled. */
export class PostgresBulk implements BulkDriver {
  readonly firstRunRowsPerSecond = 2_000_000;

  constructor(private readonly sql: postgres.Sql) {}

  /** The CREATE and the COPY share one transaction on one connection. */
  async createAndCopy(load: CopyLoad): Promise<void> {
    try {
      await this.sql.begin(async (tx) => {
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
  }

  async stableScans(tx: Executor): Promise<void> {
    await tx.execute(
      sql`select set_config('synchronize_seqscans', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
    );
  }

  async cancellable(tx: Executor): Promise<() => Promise<void>> {
    const rows = await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
    const pid = Number(rows[0]?.pid);
    // A worker that dies mid-statement should not leave its statement running for long
    // (PostgreSQL 14+): the server checks the client is still there every 2 seconds.
    await tx.execute(sql`set local client_connection_check_interval = '2s'`).catch(() => undefined);
    // Cancels the statement (the transaction then fails and rolls back), from another connection.
    return async () => {
      await this.sql`select pg_cancel_backend(${pid})`;
    };
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
