import type { DatasetRowsPage, DatasetView, ImportProgress, StorageUsage } from "../../shared/schemas/pipelines.js";
import {
  datasetByIdInput,
  datasetListInput,
  datasetRowsInput,
  importByIdInput,
} from "../../shared/schemas/pipelines.js";
import { router } from "../trpc/init.js";
import { permissionProcedure } from "../trpc/procedures.js";
import { whileAllowed } from "../trpc/still-allowed.js";
import { actorOf } from "./pipeline-actor.js";

/**
 * Data sets (`pipelines.datasets.*`). Uploads and CSV export are plain HTTP routes
 * (src/server/http/datasets-routes.ts): streams do not fit a JSON procedure.
 */
export const datasetsRouter = router({
  list: permissionProcedure("datasets:read")
    .input(datasetListInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.datasets.list(actorOf(ctx.user), input)),

  /** The caller's own storage and data set count against STORAGE_QUOTA_BYTES and MAX_DATASETS_PER_USER. */
  usage: permissionProcedure("datasets:read").query(
    ({ ctx }): Promise<StorageUsage> => ctx.deps.pipelines.datasets.usage(actorOf(ctx.user)),
  ),

  byId: permissionProcedure("datasets:read")
    .input(datasetByIdInput)
    .query(({ ctx, input }): Promise<DatasetView> => ctx.deps.pipelines.datasets.byId(actorOf(ctx.user), input.id)),

  /** Server-side paging, sort and filter over the typed table. */
  rows: permissionProcedure("datasets:read")
    .input(datasetRowsInput)
    .query(({ ctx, input }): Promise<DatasetRowsPage> => ctx.deps.pipelines.datasets.rows(actorOf(ctx.user), input)),

  importById: permissionProcedure("datasets:read")
    .input(importByIdInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.datasets.importById(actorOf(ctx.user), input.importId)),

  /** The import's progress (bytes, rows, percent) until it succeeds or fails, while the caller may still see it. */
  importProgress: permissionProcedure("datasets:read")
    .input(importByIdInput)
    .subscription(async function* ({ ctx, input, signal }): AsyncGenerator<ImportProgress> {
      const { datasets } = ctx.deps.pipelines;
      yield* whileAllowed(ctx, "datasets:read", datasets.importProgress(actorOf(ctx.user), input.importId, signal), {
        ended: "Your access to this import has ended.",
        stillVisible: (caller) => datasets.importById(actorOf(caller), input.importId),
        signal,
      });
    }),

  delete: permissionProcedure("datasets:write")
    .input(datasetByIdInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.datasets.delete(actorOf(ctx.user), input.id)),
});
