import type { RouteObject } from "react-router";
import { lazyPage } from "../../lib/routing/lazyPage";

/** `/`: the landing for visitors, each signed-in role's home (decision 0019). */
export const homeRoutes: RouteObject[] = [lazyPage({ index: true }, async () => (await import("./HomePage")).HomePage)];
