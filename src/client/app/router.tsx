import { createBrowserRouter } from "react-router";
import { ErrorPage } from "../pages/ErrorPage";
import { ForgotPasswordPage } from "../pages/ForgotPasswordPage";
import { LoginPage } from "../pages/LoginPage";
import { NotFoundPage } from "../pages/NotFoundPage";
import { ProfilePage } from "../pages/ProfilePage";
import { pipelineRoutes } from "../pages/pipelines/routes";
import { ResetPasswordPage } from "../pages/ResetPasswordPage";
import { SignupPage } from "../pages/SignupPage";
import { StatusPage } from "../pages/StatusPage";
import { Layout } from "./Layout";
import { RequireAccess } from "./RequireAccess";

/** Every page renders inside the layout; the server answers any page URL with index.html. */
export function createAppRouter() {
  return createBrowserRouter([
    {
      path: "/",
      element: <Layout />,
      errorElement: <ErrorPage />,
      children: [
        { index: true, element: <StatusPage /> },
        { path: "login", element: <LoginPage /> },
        { path: "signup", element: <SignupPage /> },
        { path: "forgot-password", element: <ForgotPasswordPage /> },
        { path: "reset-password", element: <ResetPasswordPage /> },
        {
          path: "profile",
          element: (
            <RequireAccess>
              <ProfilePage />
            </RequireAccess>
          ),
        },
        // Payments (forms, tables, money formatting) load only for those who open them.
        {
          path: "payments",
          lazy: async () => {
            const { PaymentsPage } = await import("../pages/payments/PaymentsPage");
            return {
              element: (
                <RequireAccess permission="payments:read">
                  <PaymentsPage />
                </RequireAccess>
              ),
            };
          },
        },
        {
          path: "payments/:id",
          lazy: async () => {
            const { PaymentDetailPage } = await import("../pages/payments/PaymentDetailPage");
            return {
              element: (
                <RequireAccess permission="payments:read">
                  <PaymentDetailPage />
                </RequireAccess>
              ),
            };
          },
        },
        // Data sets, pipelines and runs (src/client/pages/pipelines/routes.tsx), each page loaded lazily.
        ...pipelineRoutes,
        // Administration (and its table code) loads only for those who open it.
        {
          path: "admin/users",
          lazy: async () => {
            const { UsersPage } = await import("../pages/admin/UsersPage");
            return {
              element: (
                <RequireAccess permission="users:manage">
                  <UsersPage />
                </RequireAccess>
              ),
            };
          },
        },
        {
          path: "admin/audit",
          lazy: async () => {
            const { AuditPage } = await import("../pages/admin/AuditPage");
            return {
              element: (
                <RequireAccess permission="audit:read">
                  <AuditPage />
                </RequireAccess>
              ),
            };
          },
        },
        {
          path: "admin/ledger",
          lazy: async () => {
            const { LedgerPage } = await import("../pages/admin/LedgerPage");
            return {
              element: (
                <RequireAccess permission="ledger:read">
                  <LedgerPage />
                </RequireAccess>
              ),
            };
          },
        },
        { path: "*", element: <NotFoundPage /> },
      ],
    },
  ]);
}
