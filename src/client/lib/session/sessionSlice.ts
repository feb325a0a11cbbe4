import type { Caller } from "../../../shared/ownership";
import type { PublicUser } from "../../../shared/schemas/auth";

/**
 * The signed-in user as the store keeps it: a Date is not serialisable, so `createdAt` is ISO
 * text. Its id and role make it the `Caller` that src/shared/ownership.ts asks about.
 */
export interface SignedInUser extends Caller {
  email: string;
  name: string;
  disabled: boolean;
  emailVerified: boolean;
  createdAt: string;
}

export type SessionStatus = "unknown" | "signedOut" | "signedIn";

export interface SessionState {
  /** "unknown" until the first `auth.me` answers, so guarded pages wait instead of bouncing to /login. */
  status: SessionStatus;
  user: SignedInUser | null;
  /** Why the session ended without the user asking (shown on the sign-in page); null otherwise. */
  notice: string | null;
}

const initialState: SessionState = { status: "unknown", user: null, notice: null };

export function toSignedInUser(user: PublicUser): SignedInUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabled: user.disabled,
    emailVerified: user.emailVerified,
    createdAt: user.createdAt.toISOString(),
  };
}

/** What can happen to the session, as the store's actions (see store/index.ts). */
export const sessionLoaded = (user: SignedInUser | null) => ({ type: "session/sessionLoaded" as const, user });
export const signedIn = (user: SignedInUser) => ({ type: "session/signedIn" as const, user });
export const userUpdated = (user: SignedInUser) => ({ type: "session/userUpdated" as const, user });
export const signedOut = () => ({ type: "session/signedOut" as const });
export const sessionEnded = (notice: string) => ({ type: "session/sessionEnded" as const, notice });
export const noticeDismissed = () => ({ type: "session/noticeDismissed" as const });

export type SessionAction = ReturnType<
  | typeof sessionLoaded
  | typeof signedIn
  | typeof userUpdated
  | typeof signedOut
  | typeof sessionEnded
  | typeof noticeDismissed
>;

/** The next session state; the same object when nothing changes. */
export function sessionReducer(state: SessionState = initialState, action: { type: string }): SessionState {
  const act = action as SessionAction;
  switch (act.type) {
    /** The answer to `auth.me` at start: a user, or nobody. */
    case "session/sessionLoaded":
      return { ...state, user: act.user, status: act.user ? "signedIn" : "signedOut" };
    case "session/signedIn":
      return { status: "signedIn", user: act.user, notice: null };
    /** A fresher copy of the same account (new name, new role); ignored once signed out. */
    case "session/userUpdated":
      if (state.status !== "signedIn" || state.user?.id !== act.user.id) return state;
      return { ...state, user: act.user };
    /** The user signed out here: nothing to explain. */
    case "session/signedOut":
      return { status: "signedOut", user: null, notice: null };
    /** The server ended the session (revoked, disabled, expired): say so once. */
    case "session/sessionEnded":
      if (state.status !== "signedIn") return state;
      return { status: "signedOut", user: null, notice: act.notice };
    case "session/noticeDismissed":
      return state.notice === null ? state : { ...state, notice: null };
    default:
      return state;
  }
}

type WithSession = { session: SessionState };
export const selectSessionStatus = (state: WithSession) => state.session.status;
export const selectUser = (state: WithSession) => state.session.user;
export const selectRole = (state: WithSession) => state.session.user?.role ?? null;
export const selectSessionNotice = (state: WithSession) => state.session.notice;
