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
import { permissionProcedure } from "../trpc/procedures.js";
import { whileAllowed } from "../trpc/still-allowed.js";
import { datasetsRouter } from "./datasets.js";
import { actorOf } from "./pipeline-actor.js";

/** Data sets, pipeline definitions and their runs. Ownership is checked by the services. */
export const pipelinesRouter = router({
  datasets: datasetsRouter,

  create: permissionProcedure("pipelines:write")
    .input(pipelineCreateInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.definitions.create(actorOf(ctx.user), input)),

  update: permissionProcedure("pipelines:write")
    .input(pipelineUpdateInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.definitions.update(actorOf(ctx.user), input)),

  list: permissionProcedure("pipelines:read")
    .input(pipelineListInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.definitions.list(actorOf(ctx.user), input)),

  byId: permissionProcedure("pipelines:read")
    .input(pipelineByIdInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.definitions.byId(actorOf(ctx.user), input.id)),

  delete: permissionProcedure("pipelines:write")
    .input(pipelineByIdInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.definitions.delete(actorOf(ctx.user), input.id)),

  /**
   * The first rows of the output of `steps` over the first rows of a data set (`inputRows` says
   * when the data set has more); changes nothing, so viewers may use it.
   */
  preview: permissionProcedure("pipelines:read")
    .input(previewInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.definitions.preview(actorOf(ctx.user), input)),

  /** Queues a run; the same idempotency key returns the same run. */
  run: permissionProcedure("pipelines:run")
    .input(runInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.runs.run(actorOf(ctx.user), input)),

  runs: permissionProcedure("pipelines:read")
    .input(runListInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.runs.list(actorOf(ctx.user), input)),

  runById: permissionProcedure("pipelines:read")
    .input(runByIdInput)
    .query(({ ctx, input }) => ctx.deps.pipelines.runs.byId(actorOf(ctx.user), input.runId)),

  cancelRun: permissionProcedure("pipelines:run")
    .input(runByIdInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.runs.cancel(actorOf(ctx.user), input.runId)),

  /** Status, rows done, total and percent until the run ends, while the caller may still see it. */
  onRunProgress: permissionProcedure("pipelines:read")
    .input(runByIdInput)
    .subscription(async function* ({ ctx, input, signal }): AsyncGenerator<RunProgress> {
      const { runs } = ctx.deps.pipelines;
      yield* whileAllowed(ctx, "pipelines:read", runs.progress(actorOf(ctx.user), input.runId, signal), {
        ended: "Your access to this run has ended.",
        stillVisible: (caller) => runs.byId(actorOf(caller), input.runId),
        signal,
      });
    }),

  /** How often a schedule may fire and how many scheduled outputs are kept. */
  scheduleRules: permissionProcedure("pipelines:read").query(
    ({ ctx }): ScheduleRules => ctx.deps.pipelines.definitions.scheduleRules(),
  ),

  schedule: permissionProcedure("pipelines:write")
    .input(scheduleInput)
    .mutation(({ ctx, input }) => ctx.deps.pipelines.definitions.schedule(actorOf(ctx.user), input)),
});
