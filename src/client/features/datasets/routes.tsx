import type { RouteObject } from "react-router";
import { lazyPage } from "../../lib/routing/lazyPage";

/** Routes of data sets; each page loads only when it is opened. */
export const datasetRoutes: RouteObject[] = [
  lazyPage({ path: "datasets" }, async () => (await import("./DatasetsPage")).DatasetsPage, "datasets:read"),
  lazyPage({ path: "datasets/:id" }, async () => (await import("./DatasetPage")).DatasetPage, "datasets:read"),
];
