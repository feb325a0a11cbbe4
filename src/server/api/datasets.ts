import type { DatasetRowsPage, DatasetView, ImportProgress, StorageUsage } from "../../shared/schemas/pipelines.js";
import {
  datasetByIdInput,
  datasetListInput,
  datasetRowsInput,
  importByIdInput,
} from "../../shared/schemas/pipelines.js";
import { router } from "../trpc/init.js";
import { whileAllowed } from "../trpc/live.js";
import { permissionProcedure } from "../trpc/procedures.js";

/**
 * Data sets (`pipelines.datasets.*`). Uploads and CSV export are plain HTTP routes
 * (src/server/http/datasets-routes.ts): streams do not fit a JSON procedure.
 */
export const datasetsRouter = router({
  list: permissionProcedure("datasets:read")
    .input(datasetListInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.datasets.list(ctx.user, input)),

  /** The caller's own storage and data set count against STORAGE_QUOTA_BYTES and MAX_DATASETS_PER_USER. */
  usage: permissionProcedure("datasets:read").query(
    ({ ctx }): Promise<StorageUsage> => ctx.deps.pipelines.datasets.usage(ctx.user),
  ),

  byId: permissionProcedure("datasets:read")
    .input(datasetByIdInput)
    .query(({ ctx, input }): Promise<DatasetView> => ctx.deps.pipelines.datasets.byId(ctx.user, input.id)),

  /** Server-side paging, sort and filter over the typed table. */
  rows: permissionProcedure("datasets:read")
    .input(datasetRowsInput)
    .query(({ ctx, input }): Promise<DatasetRowsPage> => ctx.deps.pipelines.datasets.rows(ctx.user, input)),

  importById: permissionProcedure("datasets:read")
    .input(importByIdInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.datasets.importById(ctx.user, input.importId)),

  /** The import's progress (bytes, rows, percent) until it succeeds or fails, while the caller may still see it. */
  onImportProgress: permissionProcedure("datasets:read")
    .input(importByIdInput)
    .subscription(({ ctx, input, signal }): AsyncGenerator<ImportProgress> => {
      const { datasets } = ctx.deps.pipelines;
      return whileAllowed(ctx, {
        permission: "datasets:read",
        values: (caller) => datasets.importProgress(caller, input.importId, signal),
        stillVisible: (caller) => datasets.importById(caller, input.importId),
        ended: { forbidden: "Your access to this import has ended." },
        signal,
      });
    }),

  delete: permissionProcedure("datasets:write")
    .input(datasetByIdInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.datasets.delete(ctx.user, input.id)),
});
