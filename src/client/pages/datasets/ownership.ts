import type { Permission } from "../../../shared/permissions";

export interface Viewer {
  userId: string | null;
  can(permission: Permission): boolean;
}

/**
 * The server's ownership rule (src/server/services/pipelines/access.ts), only to hide what
 * the viewer cannot do: owners change their own things, admins (`…:write:any`) everyone's,
 * guests nothing. The server checks again on every call.
 */
export function mayChange(viewer: Viewer, area: "datasets" | "pipelines", ownerId: string): boolean {
  if (!viewer.can(`${area}:write`)) return false;
  return ownerId === viewer.userId || viewer.can(`${area}:write:any`);
}

/** Running (and canceling runs) takes `pipelines:run` on a pipeline one may change. */
export function mayRun(viewer: Viewer, ownerId: string): boolean {
  if (!viewer.can("pipelines:run")) return false;
  return ownerId === viewer.userId || viewer.can("pipelines:write:any");
}
