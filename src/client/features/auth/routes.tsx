import type { RouteObject } from "react-router";
import { lazyPage } from "../../lib/routing/lazyPage";

/** Signing in and up and recovering a password; open to everyone. */
export const authRoutes: RouteObject[] = [
  lazyPage({ path: "login" }, async () => (await import("./LoginPage")).LoginPage),
  lazyPage({ path: "signup" }, async () => (await import("./SignupPage")).SignupPage),
  lazyPage({ path: "forgot-password" }, async () => (await import("./ForgotPasswordPage")).ForgotPasswordPage),
  lazyPage({ path: "reset-password" }, async () => (await import("./ResetPasswordPage")).ResetPasswordPage),
];
