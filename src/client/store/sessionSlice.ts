import { createSlice, type PayloadAction } from "@reduxjs/toolkit";
import type { Caller } from "../../shared/ownership";
import type { PublicUser } from "../../shared/schemas/auth";

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

export const sessionSlice = createSlice({
  name: "session",
  initialState,
  reducers: {
    /** The answer to `auth.me` at start: a user, or nobody. */
    sessionLoaded(state, action: PayloadAction<SignedInUser | null>) {
      state.user = action.payload;
      state.status = action.payload ? "signedIn" : "signedOut";
    },
    signedIn(state, action: PayloadAction<SignedInUser>) {
      state.status = "signedIn";
      state.user = action.payload;
      state.notice = null;
    },
    /** A fresher copy of the same account (new name, new role); ignored once signed out. */
    userUpdated(state, action: PayloadAction<SignedInUser>) {
      if (state.status !== "signedIn" || state.user?.id !== action.payload.id) return;
      state.user = action.payload;
    },
    /** The user signed out here: nothing to explain. */
    signedOut(state) {
      state.status = "signedOut";
      state.user = null;
      state.notice = null;
    },
    /** The server ended the session (revoked, disabled, expired): say so once. */
    sessionEnded(state, action: PayloadAction<string>) {
      if (state.status !== "signedIn") return;
      state.status = "signedOut";
      state.user = null;
      state.notice = action.payload;
    },
    noticeDismissed(state) {
      state.notice = null;
    },
  },
  selectors: {
    selectSessionStatus: (state) => state.status,
    selectUser: (state) => state.user,
    selectRole: (state) => state.user?.role ?? null,
    selectSessionNotice: (state) => state.notice,
  },
});

export const { sessionLoaded, signedIn, userUpdated, signedOut, sessionEnded, noticeDismissed } = sessionSlice.actions;
export const { selectSessionStatus, selectUser, selectRole, selectSessionNotice } = sessionSlice.selectors;
