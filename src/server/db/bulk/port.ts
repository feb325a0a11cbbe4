import type { Executor } from "../database.js";
import { hasSqlState } from "../errors.js";

/**
 * What PostgreSQL and PGlite do differently when a table is loaded in bulk or a long statement a
 * user shaped runs. One adapter per driver (`postgres.ts`, `pglite.ts`); the composition root
 * picks one (`bulkDriverFor`), so no repository or service ever asks which driver runs.
 */
export interface BulkDriver {
  /**
   * Creates a table and fills it with COPY, never row by row; the table appears with all its
   * rows or not at all. Timestamps without an offset are read as UTC. A refused load throws
   * `CopyFailure`.
   */
  createAndCopy(load: CopyLoad): Promise<void>;
  /**
   * For the rest of `tx`: a scan starts at the table's first page and runs in one process, so
   * that "the first rows of the input" are the same rows every time (a preview's input).
   */
  stableScans(tx: Executor): Promise<void>;
  /**
   * Readies `tx` for a long statement and returns what cancels that statement from elsewhere, or
   * undefined when the driver cannot interrupt one: the caller then checks its signal again
   * before it commits.
   */
  cancellable(tx: Executor): Promise<(() => Promise<void>) | undefined>;
  /** Rows per second a pipeline run is assumed to go at before one has been timed. */
  readonly firstRunRowsPerSecond: number;
}

/** Whole records of COPY input (never a record cut in two), and how many. */
export interface CopyChunk {
  data: Buffer;
  records: number;
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

export function asCopyFailure(error: unknown, recordsBefore: number): unknown {
  if (error instanceof CopyFailure) return error;
  // Errors of our own input (a bad record found while scanning) pass through untouched.
  return hasSqlState(error) ? new CopyFailure(error, recordsBefore) : error;
}
