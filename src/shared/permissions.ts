/**
 * The one role -> permission matrix. The server checks it on every procedure; the client
 * reads the same matrix only to hide what a role cannot do.
 *
 * admin: full access. user: standard access to their own things. guest: read-only, but for
 * their own name and password.
 * `…:any` permissions reach other people's objects; without them a service scopes to the caller.
 */
export const roles = ["admin", "user", "guest"] as const;
export type Role = (typeof roles)[number];

const readOnly = ["system:read", "profile:read", "payments:read", "datasets:read", "pipelines:read"] as const;
const standard = [
  ...readOnly,
  "profile:update",
  "payments:create",
  "payments:refund",
  "datasets:write",
  "pipelines:write",
  "pipelines:run",
] as const;

export const permissionsByRole = {
  admin: [
    ...standard,
    "users:manage",
    "audit:read",
    "payments:read:any",
    "payments:refund:any",
    "ledger:read",
    // The Status page (adapters, latencies, the event backlog): an operator's view.
    "system:status",
    "datasets:read:any",
    "datasets:write:any",
    "pipelines:read:any",
    "pipelines:write:any",
  ],
  user: standard,
  // Guests are viewers: they browse every data set and result and change nothing of the app's,
  // but their account is their own: they may change their name and password.
  guest: [...readOnly, "profile:update", "datasets:read:any", "pipelines:read:any"],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof permissionsByRole)[Role][number];

/** `public` procedures need no session at all. */
export type ProcedureAccess = "public" | "authenticated" | Permission;

export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return (permissionsByRole[role] as readonly Permission[]).includes(permission);
}

/** A permission only admins hold: what REQUIRE_ADMIN_TWO_FACTOR guards. */
export function adminOnly(permission: Permission): boolean {
  return can("admin", permission) && !can("user", permission) && !can("guest", permission);
}
