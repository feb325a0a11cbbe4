import { type SQL, sql } from "drizzle-orm";
import type { ColumnType } from "../../shared/schemas/pipelines.js";
import type { BulkDriver, CopyChunk } from "../db/bulk/port.js";
import { type Executor, queryRows } from "../db/database.js";
import { sqlTypeOf } from "../db/schema/pipelines.js";
import { userStatementSettings } from "../db/statement-limits.js";

export { type BulkDriver, type CopyChunk, CopyFailure } from "../db/bulk/port.js";

/** How a load's bytes are encoded: the uploaded CSV itself, or COPY text made by JavaScript. */
export type LoadFormat = { kind: "csv"; encoding: string } | { kind: "text" };

export interface TableColumn {
  key: string;
  type: ColumnType;
}

/** For the few statements built as text (COPY cannot take bound parameters anyway). */
function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/**
 * The typed tables that hold data set rows, one per data set (`ds_<id>`), each with real typed
 * columns plus `__row`, the rows' order (file order for uploads). Created at run time, not by
 * migrations. Only identifiers chosen by Gantry reach the SQL here; values are always bound.
 */
export class DatasetTablesRepository {
  /** `bulk`: the driver's way to COPY and to cancel a statement, chosen by the composition root. */
  constructor(private readonly bulk: BulkDriver) {}

  tableNameFor(datasetId: string): string {
    return `ds_${datasetId.replace(/-/g, "")}`;
  }

  /** Creates the table and loads it with COPY (see `BulkDriver.createAndCopy` for the transaction story). */
  async load(
    table: string,
    columns: readonly TableColumn[],
    format: LoadFormat,
    chunks: AsyncIterable<CopyChunk>,
    signal?: AbortSignal,
  ): Promise<void> {
    const definitions = columns.map((c) => `${quote(c.key)} ${sqlTypeOf[c.type]}`).join(", ");
    const keys = columns.map((c) => quote(c.key)).join(", ");
    const options =
      format.kind === "csv"
        ? // Empty values are NULL whether quoted or not, as they are for checked rows.
          `format csv, force_null (${keys}), encoding '${format.encoding.replace(/'/g, "")}'`
        : "format text";
    await this.bulk.createAndCopy({
      createSql: [
        `drop table if exists ${quote(table)}`,
        `create table ${quote(table)} ("__row" bigint generated always as identity (cache 1000), ${definitions})`,
      ],
      dropSql: `drop table if exists ${quote(table)}`,
      target: `${quote(table)} (${keys})`,
      options,
      chunks,
      signal,
    });
  }

  /**
   * The limits of a statement whose shape a user decides, for the rest of the transaction (see
   * `userStatementSettings`): a time limit and no JIT. PGlite accepts both but cannot interrupt
   * a statement; its previews are bounded by their input rows instead.
   */
  async applyUserStatementLimits(tx: Executor, timeoutMs: number): Promise<void> {
    for (const statement of userStatementSettings(timeoutMs)) await tx.execute(sql.raw(statement));
  }

  /**
   * Settings for a preview's transaction: the limits of every user statement, and a scan from
   * the table's first page in one process, so that a preview's "first rows of the input" are the
   * same rows every time (see `firstRows`).
   */
  async applyPreviewSettings(tx: Executor, timeoutMs: number): Promise<void> {
    await this.applyUserStatementLimits(tx, timeoutMs);
    await this.bulk.stableScans(tx);
  }

  /**
   * Readies `tx` for a run's long statement; returns what cancels it from elsewhere, or
   * undefined when the driver cannot interrupt it (check the signal again before committing).
   */
  cancellable(tx: Executor): Promise<(() => Promise<void>) | undefined> {
    return this.bulk.cancellable(tx);
  }

  /** Rows per second a run is assumed to go at before one has been timed (progress estimates). */
  get firstRunRowsPerSecond(): number {
    return this.bulk.firstRunRowsPerSecond;
  }

  async drop(db: Executor, table: string): Promise<void> {
    await db.execute(sql`drop table if exists ${sql.identifier(table)}`);
  }

  /** Writes a query's rows as a new table, inside the caller's transaction. */
  async createAs(db: Executor, table: string, query: SQL): Promise<number> {
    const result = (await db.execute(sql`create table ${sql.identifier(table)} as ${query}`)) as unknown;
    // The command's own row count (postgres.js: `count`, PGlite: `affectedRows`) saves a scan.
    const reported = (result as { count?: unknown }).count ?? (result as { affectedRows?: unknown }).affectedRows;
    return typeof reported === "number" && reported > 0 ? reported : this.count(db, table);
  }

  async count(db: Executor, table: string, where?: SQL): Promise<number> {
    const rows = await queryRows<{ n: string | number }>(
      db,
      sql`select count(*)::text as n from ${sql.identifier(table)}${where ? sql` where ${where}` : sql``}`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * One page of rows: `values` are SQL expressions over the table's columns, read back as
   * `v0`, `v1`, ... (never as user-chosen names), with `__row_id` (text) for row ids.
   */
  async page(
    db: Executor,
    from: SQL,
    values: readonly SQL[],
    options: { where?: SQL | undefined; orderBy: SQL; limit: number; offset: number; with?: SQL },
  ): Promise<Array<Record<string, unknown>>> {
    const selected = sql.join(
      // Not aliased "__row": `order by "__row"` would then sort by the text, 1, 10, 11, ..., 2.
      [sql`"__row"::text as "__row_id"`, ...values.map((value, i) => sql`${value} as ${sql.identifier(`v${i}`)}`)],
      sql`, `,
    );
    return queryRows(
      db,
      sql`${options.with ?? sql``}select ${selected} from ${from}${options.where ? sql` where ${options.where}` : sql``} order by ${options.orderBy} limit ${options.limit} offset ${options.offset}`,
    );
  }

  /**
   * The query whose rows are the table as CSV in row order, with values written the way the API
   * shows them (ISO dates, UTC timestamps, true/false) whatever the server's DateStyle. No
   * header: the caller writes the users' column names, which may be longer than SQL identifiers
   * can be. With `escapeFormulas`, text that a spreadsheet would run as a formula (starting with
   * = + - @, tab or CR) gets a leading `'`, as OWASP advises; numbers stay numbers.
   */
  exportQuery(table: string, columns: readonly TableColumn[], options: { escapeFormulas: boolean }): string {
    const values = columns.map((c) => {
      const key = quote(c.key);
      if (c.type === "date") return `to_char(${key}, 'YYYY-MM-DD')`;
      if (c.type === "timestamp") return `to_char(${key} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
      if (c.type === "boolean") return `case ${key} when true then 'true' when false then 'false' end`;
      if (c.type === "text" && options.escapeFormulas) {
        return `case when ${key} ~ '^[-=+@\t\r]' then '''' || ${key} else ${key} end`;
      }
      return key;
    });
    const list = values.length > 0 ? values.join(", ") : "null";
    return `select ${list} from ${quote(table)} order by "__row"`;
  }
}
