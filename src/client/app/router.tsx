import { createBrowserRouter, type RouteObject } from "react-router";
import { accountRoutes } from "../features/account/routes";
import { adminRoutes } from "../features/admin/routes";
import { authRoutes } from "../features/auth/routes";
import { datasetRoutes } from "../features/datasets/routes";
import { homeRoutes } from "../features/home/routes";
import { paymentRoutes } from "../features/payments/routes";
import { pipelineRoutes } from "../features/pipelines/routes";
import { profileRoutes } from "../features/profile/routes";
import { lazyPage } from "../lib/routing/lazyPage";
import { ErrorPage } from "./ErrorPage";
import { Layout } from "./Layout";

/**
 * The one route table. Every page renders inside the layout; the server answers any page URL
 * with index.html. Each feature lists its own pages in its `routes.tsx`, every one declared with
 * `lazyPage` (its own chunk, fetched when opened, behind the access it needs); the layout and
 * the error page (which must show even when a chunk fails to load) are part of the first download.
 */
export const appRoutes: RouteObject[] = [
  {
    path: "/",
    element: <Layout />,
    errorElement: <ErrorPage />,
    children: [
      ...homeRoutes,
      ...authRoutes,
      ...profileRoutes,
      ...accountRoutes,
      ...paymentRoutes,
      ...datasetRoutes,
      ...pipelineRoutes,
      ...adminRoutes,
      lazyPage({ path: "*" }, async () => (await import("./NotFoundPage")).NotFoundPage),
    ],
  },
];

/** The browser's router over the table (screen tests use a memory router over the same table). */
export function createAppRouter() {
  return createBrowserRouter(appRoutes);
}
