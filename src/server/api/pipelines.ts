import type { RunProgress, ScheduleRules } from "../../shared/schemas/pipelines.js";
import {
  pipelineByIdInput,
  pipelineCreateInput,
  pipelineListInput,
  pipelineUpdateInput,
  previewInput,
  runByIdInput,
  runInput,
  runListInput,
  scheduleInput,
} from "../../shared/schemas/pipelines.js";
import { router } from "../trpc/init.js";
import { whileAllowed } from "../trpc/live.js";
import { permissionProcedure } from "../trpc/procedures.js";
import { datasetsRouter } from "./datasets.js";

/** Data sets, pipeline definitions and their runs. Ownership is checked by the services. */
export const pipelinesRouter = router({
  datasets: datasetsRouter,

  create: permissionProcedure("pipelines:write")
    .input(pipelineCreateInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.definitions.create(ctx.user, input)),

  update: permissionProcedure("pipelines:write")
    .input(pipelineUpdateInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.definitions.update(ctx.user, input)),

  list: permissionProcedure("pipelines:read")
    .input(pipelineListInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.definitions.list(ctx.user, input)),

  byId: permissionProcedure("pipelines:read")
    .input(pipelineByIdInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.definitions.byId(ctx.user, input.id)),

  delete: permissionProcedure("pipelines:write")
    .input(pipelineByIdInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.definitions.delete(ctx.user, input.id)),

  /**
   * The first rows of the output of `steps` over the first rows of a data set (`inputRows` says
   * when the data set has more); changes nothing, so viewers may use it.
   */
  preview: permissionProcedure("pipelines:read")
    .input(previewInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.definitions.preview(ctx.user, input)),

  /** Queues a run; the same idempotency key returns the same run. */
  run: permissionProcedure("pipelines:run")
    .input(runInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.runs.run(ctx.user, input)),

  runs: permissionProcedure("pipelines:read")
    .input(runListInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.runs.list(ctx.user, input)),

  runById: permissionProcedure("pipelines:read")
    .input(runByIdInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.runs.byId(ctx.user, input.runId)),

  cancelRun: permissionProcedure("pipelines:run")
    .input(runByIdInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.runs.cancel(ctx.user, input.runId)),

  /** Status, rows done, total and percent until the run ends, while the caller may still see it. */
  onRunProgress: permissionProcedure("pipelines:read")
    .input(runByIdInput)
    .subscription(({ ctx, input, signal }): AsyncGenerator<RunProgress> => {
      const { runs } = ctx.deps.pipelines;
      return whileAllowed(ctx, {
        permission: "pipelines:read",
        values: (caller) => runs.progress(caller, input.runId, signal),
        stillVisible: (caller) => runs.byId(caller, input.runId),
        ended: { forbidden: "Your access to this run has ended." },
        signal,
      });
    }),

  /** How often a schedule may fire and how many scheduled outputs are kept. */
  scheduleRules: permissionProcedure("pipelines:read").query(
    ({ ctx }): ScheduleRules => ctx.deps.pipelines.definitions.scheduleRules(),
  ),

  schedule: permissionProcedure("pipelines:write")
    .input(scheduleInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.definitions.schedule(ctx.user, input)),
});
