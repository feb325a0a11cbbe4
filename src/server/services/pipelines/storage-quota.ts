import type { StorageUsage } from "../../../shared/schemas/pipelines.js";
import type { StorageLimits } from "../../config.js";
import type { Executor } from "../../db/database.js";
import type { StorageUsageRepository } from "../../repositories/storage-usage.js";
import { DomainError } from "../errors.js";
import { formatBytes } from "./bytes.js";

/** A per-user limit was hit; the message names the limit and the setting that raises it. */
export class QuotaExceededError extends DomainError {
  override name = "QuotaExceededError";
  constructor(
    readonly limit: "storage" | "datasets",
    message: string,
  ) {
    super("FORBIDDEN", message);
  }
}

const FREE_SPACE = "Delete data sets to free space.";

/**
 * Per-user limits on data sets: STORAGE_QUOTA_BYTES of tables and MAX_DATASETS_PER_USER data
 * sets, uploads and run outputs alike. They belong to the data sets' owner and apply to admins
 * too (an admin running someone's pipeline fills that person's quota). Checked twice: cheaply
 * before work starts (refusing when already full), and exactly once the new table exists, in
 * the transaction that would keep it, under a per-owner lock (`admit`): what does not fit is
 * rolled back whole.
 */
export class StorageQuota {
  constructor(
    private readonly usageRepository: StorageUsageRepository,
    readonly limits: StorageLimits,
  ) {}

  async usage(db: Executor, ownerId: string): Promise<StorageUsage> {
    const used = await this.usageRepository.usage(db, ownerId);
    return {
      usedBytes: used.bytes,
      limitBytes: this.limits.storageBytes,
      datasets: used.datasets,
      maxDatasets: this.limits.datasets,
    };
  }

  /** Before a new data set is started: refuses when the count is reached or storage is full; the bytes left. */
  async roomForNew(db: Executor, ownerId: string): Promise<number> {
    const used = await this.usageRepository.usage(db, ownerId);
    if (used.datasets >= this.limits.datasets) throw this.datasetsFull();
    if (used.bytes >= this.limits.storageBytes) throw this.storageFull();
    return this.limits.storageBytes - used.bytes;
  }

  /** Refuses when storage is already full (a scheduled run may still replace an old output, so not the count). */
  async assertNotFull(db: Executor, ownerId: string): Promise<void> {
    const used = await this.usageRepository.usage(db, ownerId);
    if (used.bytes >= this.limits.storageBytes) throw this.storageFull();
  }

  /** Holds the owner's quota decisions until the transaction ends (see StorageUsageRepository.lockOwner). */
  lock(tx: Executor, ownerId: string): Promise<void> {
    return this.usageRepository.lockOwner(tx, ownerId);
  }

  /**
   * In the transaction that keeps a new table (already written, its data set row too): records
   * the table's size, then refuses if the owner is now over a limit, so the caller rolls it all
   * back.
   */
  async admit(
    tx: Executor,
    ownerId: string,
    dataset: { id: string; tableName: string },
    what: "imported table" | "output",
  ): Promise<void> {
    await this.lock(tx, ownerId);
    const size = await this.usageRepository.recordSize(tx, dataset.id, dataset.tableName);
    const used = await this.usageRepository.usage(tx, ownerId);
    if (used.datasets > this.limits.datasets) throw this.datasetsFull();
    if (used.bytes > this.limits.storageBytes) {
      throw new QuotaExceededError(
        "storage",
        `The ${what} takes ${formatBytes(size)}, which would go over the storage quota of ${this.quotaText()} (STORAGE_QUOTA_BYTES); nothing was kept. ${FREE_SPACE}`,
      );
    }
  }

  /** An upload whose bytes go past what is left. */
  wouldGoOver(bytesLeft: number): QuotaExceededError {
    return new QuotaExceededError(
      "storage",
      `This upload would go over the storage quota of ${this.quotaText()} (STORAGE_QUOTA_BYTES): ${formatBytes(Math.max(0, bytesLeft))} left. ${FREE_SPACE}`,
    );
  }

  storageFull(): QuotaExceededError {
    return new QuotaExceededError(
      "storage",
      `Storage quota of ${this.quotaText()} reached (STORAGE_QUOTA_BYTES): ${FREE_SPACE.toLowerCase()}`,
    );
  }

  datasetsFull(): QuotaExceededError {
    return new QuotaExceededError(
      "datasets",
      `Limit of ${this.limits.datasets} data sets reached (MAX_DATASETS_PER_USER): delete data sets to make room.`,
    );
  }

  private quotaText(): string {
    return formatBytes(this.limits.storageBytes);
  }
}
