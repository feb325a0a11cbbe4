import type { ComponentType } from "react";
import type { RouteObject } from "react-router";
import type { Permission } from "../../../shared/permissions";
import { RequireAccess } from "../../app/RequireAccess";

/**
 * Routes of data sets and pipelines. Their pages (builder, tables, upload) load only for
 * those who open them; this file holds nothing but the lazy entries, so the main bundle
 * stays as it was.
 */
function guarded(path: string, permission: Permission, load: () => Promise<ComponentType>): RouteObject {
  return {
    path,
    lazy: async () => {
      const Page = await load();
      return {
        element: (
          <RequireAccess permission={permission}>
            <Page />
          </RequireAccess>
        ),
      };
    },
  };
}

export const pipelineRoutes: RouteObject[] = [
  guarded("datasets", "datasets:read", async () => (await import("../datasets/DatasetsPage")).DatasetsPage),
  guarded("datasets/:id", "datasets:read", async () => (await import("../datasets/DatasetPage")).DatasetPage),
  guarded("pipelines", "pipelines:read", async () => (await import("./PipelinesPage")).PipelinesPage),
  guarded("pipelines/new", "pipelines:write", async () => (await import("./PipelineBuilderPage")).NewPipelinePage),
  guarded("pipelines/:id", "pipelines:read", async () => (await import("./PipelineBuilderPage")).PipelinePage),
  guarded("runs", "pipelines:read", async () => (await import("./RunsPage")).RunsPage),
];
