import type { RouteObject } from "react-router";
import { lazyPage } from "../../app/lazyPage";

/** Routes of data sets, pipelines and runs; each page loads only when it is opened. */
export const pipelineRoutes: RouteObject[] = [
  lazyPage({ path: "datasets" }, async () => (await import("../datasets/DatasetsPage")).DatasetsPage, "datasets:read"),
  lazyPage(
    { path: "datasets/:id" },
    async () => (await import("../datasets/DatasetPage")).DatasetPage,
    "datasets:read",
  ),
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
  lazyPage(
    { path: "pipelines/runs/:id" },
    async () => (await import("../../features/pipelines/RunPage")).RunPage,
    "pipelines:read",
  ),
  lazyPage({ path: "runs" }, async () => (await import("./RunsPage")).RunsPage, "pipelines:read"),
];
