import { can, type Permission, type Role } from "./permissions.js";

/**
 * Who is calling: the signed-in user and the role their session carries now. The server
 * passes it to every service that scopes by owner; the client's signed-in user is one too,
 * so both sides ask the same functions below.
 */
export interface Caller {
  id: string;
  role: Role;
}

/** A row that belongs to someone: payments, data sets (and their imports), pipelines, runs. */
export interface Owned {
  ownerId: string;
}

/** The areas whose rows have an owner. */
export type OwnedArea = "payments" | "datasets" | "pipelines";

/**
 * What an action on someone else's row needs on top of the plain permission. Running another
 * person's pipeline changes what they own (a new output), so it takes `pipelines:write:any`.
 */
const onOthers = {
  "payments:read": "payments:read:any",
  "payments:refund": "payments:refund:any",
  "datasets:read": "datasets:read:any",
  "datasets:write": "datasets:write:any",
  "pipelines:read": "pipelines:read:any",
  "pipelines:write": "pipelines:write:any",
  "pipelines:run": "pipelines:write:any",
} as const satisfies Partial<Record<Permission, Permission>>;

/** An action on an owned row: reading it, or one of the permissions that change it. */
export type OwnedAction = keyof typeof onOthers;
export type WriteAction = Exclude<OwnedAction, `${OwnedArea}:read`>;

function allows(caller: Caller | null | undefined, action: OwnedAction, row: Owned): boolean {
  if (!caller || !can(caller.role, action)) return false;
  return row.ownerId === caller.id || can(caller.role, onOthers[action]);
}

/** May the caller see this row? Their own, or anyone's with `…:read:any`. */
export function canRead(caller: Caller | null | undefined, area: OwnedArea, row: Owned): boolean {
  return allows(caller, `${area}:read`, row);
}

/** May the caller do `action` to this row? Their own with the permission, anyone's with its `…:any`. */
export function canWrite(caller: Caller | null | undefined, action: WriteAction, row: Owned): boolean {
  return allows(caller, action, row);
}

/** Whose rows a list shows: the caller's own (their id), or everyone's (undefined) with `…:read:any`. */
export function ownerFilter(caller: Caller, area: OwnedArea): string | undefined {
  return can(caller.role, onOthers[`${area}:read`]) ? undefined : caller.id;
}
