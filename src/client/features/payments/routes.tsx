import type { RouteObject } from "react-router";
import { lazyPage } from "../../lib/routing/lazyPage";

/** The payment list (with the pay form) and one payment's detail (with refunds). */
export const paymentRoutes: RouteObject[] = [
  lazyPage({ path: "payments" }, async () => (await import("./PaymentsPage")).PaymentsPage, "payments:read"),
  lazyPage(
    { path: "payments/:id" },
    async () => (await import("./PaymentDetailPage")).PaymentDetailPage,
    "payments:read",
  ),
];
