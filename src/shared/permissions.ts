/**
 * The one role -> permission matrix. The server checks it on every procedure; the client
 * reads the same matrix only to hide what a role cannot do.
 *
 * admin: full access. user: standard access to their own things. guest: read-only.
 */
export const roles = ["admin", "user", "guest"] as const;
export type Role = (typeof roles)[number];

export const permissionsByRole = {
  admin: ["system:read", "profile:read", "profile:update", "users:manage", "audit:read"],
  user: ["system:read", "profile:read", "profile:update"],
  guest: ["system:read", "profile:read"],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof permissionsByRole)[Role][number];

/** `public` procedures need no session at all. */
export type ProcedureAccess = "public" | "authenticated" | Permission;

export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return (permissionsByRole[role] as readonly Permission[]).includes(permission);
}
