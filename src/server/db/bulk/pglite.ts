import { Readable } from "node:stream";
import type { PGlite } from "@electric-sql/pglite";
import { asCopyFailure, type BulkDriver, CopyFailure, type CopyLoad } from "./port.js";

/**
 * `COPY (<query>) TO` a blob: PGlite hands the result over whole, which is fine for the sizes
 * embedded mode is for (PostgreSQL exports stream on a connection of their own: copy-exports.ts).
 */
export async function copyOutWhole(pglite: PGlite, query: string, options: string): Promise<Readable> {
  const result = await pglite.query(`copy (${query}) to '/dev/blob' with (${options})`);
  const blob = result.blob;
  if (!blob) return Readable.from([]);
  return Readable.fromWeb(blob.stream() as import("node:stream/web").ReadableStream<Uint8Array>);
}

/** PGlite reads a COPY blob whole into memory: keep each one modest. */
const PGLITE_BLOB_BYTES = 8 * 1024 * 1024;

/**
 * Embedded PGlite: one connection, statements run synchronously in this process. It cannot
 * interrupt a statement, and scans are already single-process and start at the first page.
 */
export class PgliteBulk implements BulkDriver {
  readonly firstRunRowsPerSecond = 150_000;

  constructor(private readonly pglite: PGlite) {}

  /**
   * One long transaction would stall every other query of the embedded app, so the load is
   * split into blobs of a few MB, each its own statement, and the table is dropped if any fails.
   */
  async createAndCopy(load: CopyLoad): Promise<void> {
    const { pglite } = this;
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

  async stableScans(): Promise<void> {}

  async cancellable(): Promise<undefined> {
    return undefined;
  }
}
