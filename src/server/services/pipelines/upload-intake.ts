import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { Caller } from "../../../shared/ownership.js";
import { can } from "../../../shared/permissions.js";
import type { ImportFormat, UploadAccepted, UploadOptions } from "../../../shared/schemas/pipelines.js";
import type { Logger } from "../../core/logger.js";
import { addJob } from "../../core/queue/job-outbox.js";
import type { Database } from "../../db/database.js";
import type { DatasetImportsRepository } from "../../repositories/dataset-imports.js";
import type { DatasetTablesRepository } from "../../repositories/dataset-tables.js";
import type { DatasetsRepository } from "../../repositories/datasets.js";
import { DomainError, forbidden } from "../errors.js";
import { formatBytes } from "./bytes.js";
import { IMPORT_ATTEMPTS } from "./job-names.js";
import { QuotaExceededError, type StorageQuota } from "./storage-quota.js";
import { UploadRefusedError } from "./upload-errors.js";
import { uploadFormat } from "./upload-format.js";

export interface UploadIntakeDeps {
  db: Database;
  logger: Logger;
  datasets: DatasetsRepository;
  imports: DatasetImportsRepository;
  tables: DatasetTablesRepository;
  dataDir: string;
  uploadMaxBytes: number;
  /** UPLOADS_MAX_CONCURRENT_PER_USER: uploads one user may have streaming in at once. */
  uploadsMaxConcurrentPerUser: number;
  quota: StorageQuota;
}

export interface UploadRequest {
  contentType: string | undefined;
  /** From Content-Length, when the client sent one: refused early when too large. */
  declaredBytes: number | undefined;
  options: UploadOptions;
}

const NOT_SAVED = "The upload could not be saved. Please try again.";

/** Uploads, from the first byte until their import job is queued (the import itself: ImportJob). */
export class UploadIntake {
  /**
   * Uploads streaming in now, by user. Each one may write up to the user's remaining quota
   * before the exact check at the end, so without a cap one account could run hundreds at once
   * and fill DATA_DIR. Counted in this process: an upload has no database row until its bytes
   * are on disk, so there is nothing cheaper to count across instances (each allows its own).
   */
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly deps: UploadIntakeDeps) {}

  private get db() {
    return this.deps.db;
  }

  /**
   * Streams the upload to a file under DATA_DIR/uploads (never holding it in memory), then
   * records the data set and its import and queues the import job. Answers as soon as the
   * bytes are on disk; the data set is `importing` until the job finishes. Whatever fails once
   * the file is written, the file is deleted (no import will ever read it) and the caller gets
   * a typed error. Over a quota, the upload is refused before its body is read; one that would
   * go over is cut off as soon as its bytes do (the file counts until its table is measured).
   */
  async receive(caller: Caller, body: AsyncIterable<Buffer>, request: UploadRequest): Promise<UploadAccepted> {
    if (!can(caller.role, "datasets:write")) throw forbidden();
    const userId = caller.id;
    const max = this.deps.uploadsMaxConcurrentPerUser;
    const mine = this.inFlight.get(userId) ?? 0;
    // Refused before the body is read, and before anything is written: nothing of the user's goes.
    if (mine >= max) {
      throw new DomainError(
        "TOO_MANY_REQUESTS",
        `You already have ${mine} uploads in progress (UPLOADS_MAX_CONCURRENT_PER_USER=${max}). Try again when one has finished.`,
        { retryAfterMs: 5000 },
      );
    }
    // Taken before the first await, so simultaneous requests cannot all squeeze in.
    this.inFlight.set(userId, mine + 1);
    try {
      return await this.store(caller, body, request);
    } finally {
      const left = (this.inFlight.get(userId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(userId, left);
      else this.inFlight.delete(userId);
    }
  }

  private async store(caller: Caller, body: AsyncIterable<Buffer>, request: UploadRequest): Promise<UploadAccepted> {
    const { options } = request;
    const { format, charset } = uploadFormat(request.contentType, options.fileName, options.format);
    const max = this.deps.uploadMaxBytes;
    const tooLarge = () =>
      new UploadRefusedError("too_large", `The file is larger than the ${formatBytes(max)} an upload may be.`);
    if (request.declaredBytes !== undefined && request.declaredBytes > max) throw tooLarge();
    const { quota } = this.deps;
    const room = await quota.roomForNew(this.db, caller.id).catch((error: unknown) => {
      if (error instanceof QuotaExceededError) refusal(error);
      this.deps.logger.warn({ err: error }, "could not measure a user's storage");
      throw new DomainError("SERVICE_UNAVAILABLE", NOT_SAVED);
    });
    const overQuota = () => refusal(quota.wouldGoOver(room));
    if (request.declaredBytes !== undefined && request.declaredBytes > room) overQuota();

    const datasetId = randomUUID();
    const importId = randomUUID();
    const directory = join(this.deps.dataDir, "uploads");
    const path = join(directory, `${importId}.upload`);
    const { logger } = this.deps;
    let bytes = 0;
    try {
      await mkdir(directory, { recursive: true });
      await pipeline(async function* () {
        for await (const chunk of body) {
          bytes += chunk.length;
          if (bytes > max) throw tooLarge();
          if (bytes > room) overQuota();
          yield chunk;
        }
      }, createWriteStream(path));
      if (bytes === 0) throw new UploadRefusedError("empty", "The file is empty.");
    } catch (error) {
      await rm(path, { force: true });
      if (error instanceof UploadRefusedError) throw error;
      // A full disk, or a client that went away mid-upload.
      logger.warn({ err: error }, "could not store an upload");
      throw new DomainError("SERVICE_UNAVAILABLE", NOT_SAVED);
    }

    const discard = async (error: unknown, message: string) => {
      logger.error({ err: error, datasetId, importId }, message);
      await rm(path, { force: true }).catch((failure: unknown) =>
        logger.warn({ err: failure, path }, "could not delete a refused upload"),
      );
    };
    try {
      await this.record(caller, { datasetId, importId, format, charset: charset.label, path, bytes }, options);
    } catch (error) {
      if (error instanceof QuotaExceededError) {
        await rm(path, { force: true });
        refusal(error);
      }
      await discard(error, "could not record an upload");
      throw error instanceof DomainError ? error : new DomainError("SERVICE_UNAVAILABLE", NOT_SAVED);
    }
    return { datasetId, importId };
  }

  /**
   * The data set, its import and the import job, written together: an import never exists
   * without its data set, nor without the job that will run it (handed to the queue after
   * commit by the job outbox, so an unreachable Redis delays the import but never loses it).
   */
  private async record(
    caller: Caller,
    upload: { datasetId: string; importId: string; format: ImportFormat; charset: string; path: string; bytes: number },
    options: UploadOptions,
  ): Promise<void> {
    const { datasets, imports, tables, quota } = this.deps;
    const { datasetId, importId } = upload;
    await this.db.transaction(async (tx) => {
      // Exact this time: other uploads of this user wait, and ones still importing hold their bytes.
      await quota.lock(tx, caller.id);
      const room = await quota.roomForNew(tx, caller.id);
      if (upload.bytes > room) throw quota.wouldGoOver(room);
      await datasets.insert(tx, {
        id: datasetId,
        ownerId: caller.id,
        name: options.name,
        status: "importing",
        source: "upload",
        tableName: tables.tableNameFor(datasetId),
      });
      await imports.insert(tx, {
        id: importId,
        datasetId,
        ownerId: caller.id,
        status: "queued",
        format: upload.format,
        charset: upload.charset,
        skipInvalid: options.skipInvalid,
        typeHints: options.types,
        fileName: options.fileName ?? null,
        uploadPath: upload.path,
        bytesTotal: upload.bytes,
      });
      await addJob(
        tx,
        "dataset.import",
        { importId },
        { idempotencyKey: importId, attempts: IMPORT_ATTEMPTS, backoffMs: 2000 },
      );
    });
  }
}

/** A quota refusal as the upload route answers it (413 for storage, 403 for the count). */
function refusal(error: unknown): never {
  if (error instanceof QuotaExceededError) {
    throw new UploadRefusedError(error.limit === "storage" ? "storage_quota" : "dataset_limit", error.message);
  }
  throw error;
}
