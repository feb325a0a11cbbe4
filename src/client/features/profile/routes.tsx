import type { RouteObject } from "react-router";
import { lazyPage } from "../../lib/routing/lazyPage";

export const profileRoutes: RouteObject[] = [
  lazyPage({ path: "profile" }, async () => (await import("./ProfilePage")).ProfilePage, "signedIn"),
];
