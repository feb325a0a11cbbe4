import type { Permission } from "../../../shared/permissions";

export interface NavItem {
  to: string;
  label: string;
  end?: boolean;
  /** "signedIn" for any signed-in user; a permission for role-bound pages; absent for everyone. */
  access?: "signedIn" | Permission;
}

/** The everyday pages, in the header itself. Only real pages belong here. */
export const mainItems: readonly NavItem[] = [
  { to: "/", label: "Home", end: true },
  { to: "/profile", label: "Profile", access: "signedIn" },
  { to: "/payments", label: "Payments", access: "payments:read" },
  { to: "/datasets", label: "Data sets", access: "datasets:read" },
  { to: "/pipelines", label: "Pipelines", access: "pipelines:read" },
];

/** Administration, grouped under one "Admin" disclosure so the header stays on one line. */
export const adminItems: readonly NavItem[] = [
  { to: "/admin/users", label: "Users", access: "users:manage" },
  { to: "/admin/audit", label: "Audit log", access: "audit:read" },
  { to: "/admin/ledger", label: "Ledger", access: "ledger:read" },
  { to: "/admin/status", label: "Status", access: "system:status" },
];

/** The items a visitor may open: a link the role cannot use would only lead to "not allowed". */
export function visibleItems(
  items: readonly NavItem[],
  signedIn: boolean,
  can: (permission: Permission) => boolean,
): NavItem[] {
  return items.filter(
    (item) => item.access === undefined || (signedIn && (item.access === "signedIn" || can(item.access))),
  );
}
