import { and, asc, count, desc, eq, type InferInsertModel, type InferSelectModel, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable, PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { ListQuery, Page } from "../../shared/schemas/list.js";
import type { Executor } from "../db/database.js";
import { filterCondition } from "./list-filter.js";

/** Any table with a uuid `id` and a `createdAt` (all built on `baseColumns` are). */
export type BaseTable = PgTable & { id: PgColumn; createdAt: PgColumn };

/**
 * The seed's BaseRepository: find by id, paged list with sort and filter, insert, update,
 * delete. Every method takes the executor it runs on (the database or an open
 * transaction), so a service decides the transaction and the repository only queries.
 */
export class BaseRepository<T extends BaseTable, Field extends string = string> {
  constructor(
    protected readonly table: T,
    /** Columns a list may sort and filter by, keyed by their public field name. */
    protected readonly listColumns: Record<Field, PgColumn>,
    /** Newest first by this column when a list asks for no sort. */
    protected readonly defaultSort: PgColumn = table.createdAt,
  ) {}

  async findById(db: Executor, id: string): Promise<InferSelectModel<T> | undefined> {
    const rows = await db
      .select()
      .from(this.table as PgTable)
      .where(eq(this.table.id, id))
      .limit(1);
    return rows[0] as InferSelectModel<T> | undefined;
  }

  async list(db: Executor, query: ListQuery<Field>, scope?: SQL): Promise<Page<InferSelectModel<T>>> {
    const where = and(scope, ...query.filter.map((f) => filterCondition(this.listColumns[f.field], f.op, f.value)));
    const sortColumn = query.sort ? this.listColumns[query.sort.field] : this.defaultSort;
    const order = query.sort?.direction === "asc" ? asc(sortColumn) : desc(sortColumn);
    const [items, totals] = await Promise.all([
      db
        .select()
        .from(this.table as PgTable)
        .where(where)
        // The id tiebreak keeps pages stable when many rows share a sort value.
        .orderBy(order, asc(this.table.id))
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize),
      db
        .select({ total: count() })
        .from(this.table as PgTable)
        .where(where),
    ]);
    return {
      items: items as InferSelectModel<T>[],
      total: Number(totals[0]?.total ?? 0),
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async insert(db: Executor, values: InferInsertModel<T>): Promise<InferSelectModel<T>> {
    const rows = await db.insert(this.table).values(values).returning();
    return (rows as InferSelectModel<T>[])[0] as InferSelectModel<T>;
  }

  /**
   * Updates the row; with `only`, only while that condition still holds (compare-and-set), so a
   * lost race shows up as undefined rather than as a silent overwrite.
   */
  async update(
    db: Executor,
    id: string,
    values: PgUpdateSetSource<T>,
    only?: SQL,
  ): Promise<InferSelectModel<T> | undefined> {
    const rows = await db
      .update(this.table)
      .set(values)
      .where(and(eq(this.table.id, id), only))
      .returning();
    return (rows as InferSelectModel<T>[])[0];
  }

  async delete(db: Executor, id: string): Promise<boolean> {
    const rows = await db.delete(this.table).where(eq(this.table.id, id)).returning({ id: this.table.id });
    return rows.length > 0;
  }
}
