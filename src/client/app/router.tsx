import { createBrowserRouter } from "react-router";
import { ErrorPage } from "../pages/ErrorPage";
import { pipelineRoutes } from "../pages/pipelines/routes";
import { Layout } from "./Layout";
import { lazyPage } from "./lazyPage";

/**
 * Every page renders inside the layout; the server answers any page URL with index.html.
 * Each page is its own chunk, fetched when it is opened; the layout and the error page (which
 * must show even when a chunk fails to load) are part of the first download.
 */
export function createAppRouter() {
  return createBrowserRouter([
    {
      path: "/",
      element: <Layout />,
      errorElement: <ErrorPage />,
      children: [
        lazyPage({ index: true }, async () => (await import("../pages/StatusPage")).StatusPage),
        lazyPage({ path: "login" }, async () => (await import("../pages/LoginPage")).LoginPage),
        lazyPage({ path: "signup" }, async () => (await import("../pages/SignupPage")).SignupPage),
        lazyPage(
          { path: "forgot-password" },
          async () => (await import("../pages/ForgotPasswordPage")).ForgotPasswordPage,
        ),
        lazyPage(
          { path: "reset-password" },
          async () => (await import("../pages/ResetPasswordPage")).ResetPasswordPage,
        ),
        lazyPage(
          { path: "verify-email" },
          async () => (await import("../features/account/VerifyEmailPage")).VerifyEmailPage,
        ),
        lazyPage({ path: "goodbye" }, async () => (await import("../features/account/GoodbyePage")).GoodbyePage),
        lazyPage({ path: "profile" }, async () => (await import("../pages/ProfilePage")).ProfilePage, "signedIn"),
        lazyPage(
          { path: "payments" },
          async () => (await import("../pages/payments/PaymentsPage")).PaymentsPage,
          "payments:read",
        ),
        lazyPage(
          { path: "payments/:id" },
          async () => (await import("../pages/payments/PaymentDetailPage")).PaymentDetailPage,
          "payments:read",
        ),
        // Data sets, pipelines and runs: src/client/pages/pipelines/routes.tsx.
        ...pipelineRoutes,
        lazyPage(
          { path: "admin/users" },
          async () => (await import("../pages/admin/UsersPage")).UsersPage,
          "users:manage",
        ),
        lazyPage(
          { path: "admin/audit" },
          async () => (await import("../pages/admin/AuditPage")).AuditPage,
          "audit:read",
        ),
        lazyPage(
          { path: "admin/ledger" },
          async () => (await import("../pages/admin/LedgerPage")).LedgerPage,
          "ledger:read",
        ),
        lazyPage({ path: "*" }, async () => (await import("../pages/NotFoundPage")).NotFoundPage),
      ],
    },
  ]);
}
