import type { RouteObject } from "react-router";
import { lazyPage } from "../../lib/routing/lazyPage";

/** Accounts, the audit log, the ledger and the service status (the home page is features/home). */
export const adminRoutes: RouteObject[] = [
  lazyPage({ path: "admin/users" }, async () => (await import("./UsersPage")).UsersPage, "users:manage"),
  lazyPage({ path: "admin/audit" }, async () => (await import("./AuditPage")).AuditPage, "audit:read"),
  lazyPage({ path: "admin/ledger" }, async () => (await import("./LedgerPage")).LedgerPage, "ledger:read"),
  lazyPage({ path: "admin/status" }, async () => (await import("./StatusPage")).StatusPage, "system:status"),
];
