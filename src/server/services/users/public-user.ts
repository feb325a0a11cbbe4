import type { PublicUser } from "../../../shared/schemas/auth.js";
import type { UserRow } from "../../repositories/users.js";

/** What may leave the server about a user: never the password hash. */
export function toPublicUser(user: UserRow): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabled: user.disabledAt !== null,
    emailVerified: user.emailVerifiedAt !== null,
    deleted: user.deletedAt !== null,
    createdAt: user.createdAt,
  };
}
