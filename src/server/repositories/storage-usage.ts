import { eq, sql } from "drizzle-orm";
import { type Executor, queryRows } from "../db/database.js";
import { datasets } from "../db/schema/index.js";

export interface OwnerUsage {
  bytes: number;
  datasets: number;
}

export interface PrunableOutput {
  id: string;
  tableName: string;
}

/**
 * What a user's data sets take. Each table is measured once by the database itself when it is
 * written (`pg_total_relation_size`, right on PostgreSQL and PGlite alike) and kept on its data
 * set row: tables never change afterwards, and summing rows never waits on a table's locks.
 */
export class StorageUsageRepository {
  /**
   * Bytes of the owner's data sets plus, for uploads still importing, their file's size: a
   * reservation, so two uploads at once cannot both use the last of the quota.
   */
  async usage(db: Executor, ownerId: string): Promise<OwnerUsage> {
    const rows = await queryRows<{ bytes: string | number | null; datasets: string | number }>(
      db,
      sql`select count(*)::text as datasets, coalesce(sum(greatest(
            d.size_bytes,
            case when d.status = 'importing' then coalesce(i.bytes_total, 0) else 0 end
          )), 0)::text as bytes
        from datasets d
        left join dataset_imports i on i.dataset_id = d.id and i.status in ('queued', 'running')
        where d.owner_id = ${ownerId}`,
    );
    return { bytes: Number(rows[0]?.bytes ?? 0), datasets: Number(rows[0]?.datasets ?? 0) };
  }

  /** Measures a table just written (in the caller's transaction) and records it on its data set. */
  async recordSize(tx: Executor, datasetId: string, table: string): Promise<number> {
    const bytes = await this.tableBytes(tx, table);
    await tx.update(datasets).set({ sizeBytes: bytes }).where(eq(datasets.id, datasetId));
    return bytes;
  }

  /** One table's size: rows, TOAST and indexes (0 when there is no such table). */
  async tableBytes(db: Executor, table: string): Promise<number> {
    const rows = await queryRows<{ bytes: string | null }>(
      db,
      sql`select coalesce(pg_total_relation_size(to_regclass(${table})), 0)::text as bytes`,
    );
    return Number(rows[0]?.bytes ?? 0);
  }

  /**
   * Serializes the quota decisions of one owner until the caller's transaction ends, so two
   * uploads or runs finishing together cannot each see room for themselves alone.
   */
  async lockOwner(tx: Executor, ownerId: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(${QUOTA_LOCK_CLASS}, hashtext(${ownerId}))`);
  }

  /**
   * Outputs of `pipelineId`'s scheduled runs beyond the newest `keep` (counting `newest`, the
   * output just written, which is never returned), owned by `ownerId`, that nothing else needs:
   * not the input of a pipeline, not read by a run in progress. Uploads, manual runs' outputs
   * and other users' data sets are never among them.
   */
  async prunableScheduledOutputs(
    db: Executor,
    scope: { pipelineId: string; ownerId: string; keep: number; newest: string },
  ): Promise<PrunableOutput[]> {
    return queryRows<{ id: string; tableName: string }>(
      db,
      sql`select o.id, o.table_name as "tableName" from (
            select d.id, d.table_name, row_number() over (order by d.created_at desc, d.id desc) as n
            from datasets d
            join pipeline_runs r on r.id = d.source_run_id
            where r.pipeline_id = ${scope.pipelineId} and r.trigger = 'schedule' and r.owner_id = ${scope.ownerId}
              and d.owner_id = ${scope.ownerId} and d.source = 'pipeline' and d.status = 'ready'
              and d.id <> ${scope.newest}
          ) o
          where o.n > ${scope.keep - 1}
            and not exists (select 1 from pipelines p where p.dataset_id = o.id)
            and not exists (
              select 1 from pipeline_runs a where a.input_dataset_id = o.id and a.status in ('queued', 'running')
            )`,
    );
  }
}

/** First key of the two-key advisory lock: keeps these locks apart from any other use. */
const QUOTA_LOCK_CLASS = 7_301;
