import { useContext } from "react";
import { type Permission, type Role, can as roleCan } from "../../../shared/permissions";
import { useAppSelector } from "../store/hooks";
import { SessionContext } from "./sessionContext";
import type { SessionController } from "./sessionController";
import { type SessionStatus, type SignedInUser, selectSessionStatus, selectUser } from "./sessionSlice";

export interface Auth {
  status: SessionStatus;
  user: SignedInUser | null;
  role: Role | null;
  /** The shared matrix, to hide what the role cannot do; the server checks again on every call. */
  can(permission: Permission): boolean;
  login: SessionController["login"];
  signup: SessionController["signup"];
  logout: SessionController["logout"];
  logoutAll: SessionController["logoutAll"];
  changePassword: SessionController["changePassword"];
  /** Shows a fresher copy of the user that a mutation returned. */
  applyUser: SessionController["applyUser"];
}

/** Who is signed in and what they may do, re-rendering when the session or the role changes. */
export function useAuth(): Auth {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useAuth needs <Providers> (src/client/app/Providers.tsx) above it.");
  const status = useAppSelector(selectSessionStatus);
  const user = useAppSelector(selectUser);
  const role = user?.role ?? null;
  return {
    status,
    user,
    role,
    can: (permission) => roleCan(role, permission),
    login: session.login,
    signup: session.signup,
    logout: session.logout,
    logoutAll: session.logoutAll,
    changePassword: session.changePassword,
    applyUser: session.applyUser,
  };
}
