import type { RouteObject } from "react-router";
import { lazyPage } from "../../lib/routing/lazyPage";

/** The mailed verification link, and where a deleted account's browser lands. */
export const accountRoutes: RouteObject[] = [
  lazyPage({ path: "verify-email" }, async () => (await import("./VerifyEmailPage")).VerifyEmailPage),
  lazyPage({ path: "goodbye" }, async () => (await import("./GoodbyePage")).GoodbyePage),
];
