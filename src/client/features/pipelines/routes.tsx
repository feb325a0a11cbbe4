import type { RouteObject } from "react-router";
import { lazyPage } from "../../lib/routing/lazyPage";

/** Routes of pipelines and their runs; each page loads only when it is opened. */
export const pipelineRoutes: RouteObject[] = [
  lazyPage({ path: "pipelines" }, async () => (await import("./PipelinesPage")).PipelinesPage, "pipelines:read"),
  lazyPage(
    { path: "pipelines/new" },
    async () => (await import("./PipelineBuilderPage")).NewPipelinePage,
    "pipelines:write",
  ),
  lazyPage(
    { path: "pipelines/:id" },
    async () => (await import("./PipelineBuilderPage")).PipelinePage,
    "pipelines:read",
  ),
  lazyPage({ path: "runs" }, async () => (await import("./RunsPage")).RunsPage, "pipelines:read"),
];
