import type { RouteObject } from "react-router";
import { lazyPage } from "../../lib/routing/lazyPage";

/** Accounts, the audit log and the ledger; and, for now, the service status as the index page. */
export const adminRoutes: RouteObject[] = [
  lazyPage({ index: true }, async () => (await import("./StatusPage")).StatusPage),
  lazyPage({ path: "admin/users" }, async () => (await import("./UsersPage")).UsersPage, "users:manage"),
  lazyPage({ path: "admin/audit" }, async () => (await import("./AuditPage")).AuditPage, "audit:read"),
  lazyPage({ path: "admin/ledger" }, async () => (await import("./LedgerPage")).LedgerPage, "ledger:read"),
];
