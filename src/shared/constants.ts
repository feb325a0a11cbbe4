/**
 * Plain values shared by server and client. Kept free of zod so the browser bundle can use
 * them without pulling the schema library in; the schemas import them from here.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const MAX_PAGE_SIZE = 100;

export const filterOperators = ["eq", "neq", "contains", "gt", "gte", "lt", "lte"] as const;

/** Columns the users and audit lists may sort and filter by. */
export const userListFields = ["email", "name", "role", "createdAt"] as const;
export const auditListFields = ["type", "actorId", "occurredAt"] as const;

/** Passkeys (WebAuthn credentials) one account may hold, and the longest name one may have. */
export const PASSKEYS_MAX_PER_USER = 10;
export const PASSKEY_NAME_MAX = 64;
