import { describe, expect, it } from "vitest";
import type { PublicUser } from "../../../shared/schemas/auth";
import { createAppStore } from "../store/index";
import {
  noticeDismissed,
  selectRole,
  selectSessionNotice,
  selectSessionStatus,
  selectUser,
  sessionEnded,
  sessionLoaded,
  signedIn,
  signedOut,
  toSignedInUser,
  userUpdated,
} from "./sessionSlice";

const ada = toSignedInUser({
  id: "7d7c3c1e-4b7e-4a53-9d64-0a2f1d3b9e01",
  email: "ada@gantry.test",
  name: "Ada",
  role: "user",
  disabled: false,
  emailVerified: true,
  deleted: false,
  createdAt: new Date("2025-03-01T10:00:00Z"),
} satisfies PublicUser);

const newStore = () => createAppStore({ prefersDark: false });

describe("session slice", () => {
  it("is unknown until the server says who is signed in", () => {
    const store = newStore();
    expect(selectSessionStatus(store.getState())).toBe("unknown");
    store.dispatch(sessionLoaded(null));
    expect(selectSessionStatus(store.getState())).toBe("signedOut");
    store.dispatch(sessionLoaded(ada));
    expect(selectSessionStatus(store.getState())).toBe("signedIn");
    expect(selectUser(store.getState())?.email).toBe("ada@gantry.test");
  });

  it("keeps the user serialisable: the creation date is ISO text", () => {
    expect(ada.createdAt).toBe("2025-03-01T10:00:00.000Z");
  });

  it("applies a fresher copy of the signed-in user, such as a new role", () => {
    const store = newStore();
    store.dispatch(signedIn(ada));
    store.dispatch(userUpdated({ ...ada, role: "guest", name: "Ada L." }));
    expect(selectRole(store.getState())).toBe("guest");
    expect(selectUser(store.getState())?.name).toBe("Ada L.");
  });

  it("ignores an update for another account or after signing out", () => {
    const store = newStore();
    store.dispatch(signedIn(ada));
    store.dispatch(userUpdated({ ...ada, id: "another", role: "admin" }));
    expect(selectRole(store.getState())).toBe("user");
    store.dispatch(signedOut());
    store.dispatch(userUpdated(ada));
    expect(selectUser(store.getState())).toBeNull();
  });

  it("explains a session the server ended, but not one the user ended", () => {
    const store = newStore();
    store.dispatch(signedIn(ada));
    store.dispatch(sessionEnded("Your session has ended."));
    expect(selectSessionStatus(store.getState())).toBe("signedOut");
    expect(selectSessionNotice(store.getState())).toBe("Your session has ended.");
    store.dispatch(noticeDismissed());
    expect(selectSessionNotice(store.getState())).toBeNull();

    store.dispatch(signedIn(ada));
    store.dispatch(signedOut());
    expect(selectSessionNotice(store.getState())).toBeNull();
  });

  it("does not announce an ended session to someone who was not signed in", () => {
    const store = newStore();
    store.dispatch(sessionLoaded(null));
    store.dispatch(sessionEnded("Your session has ended."));
    expect(selectSessionNotice(store.getState())).toBeNull();
  });

  it("clears an old notice on signing in again", () => {
    const store = newStore();
    store.dispatch(signedIn(ada));
    store.dispatch(sessionEnded("Your session has ended."));
    store.dispatch(signedIn(ada));
    expect(selectSessionNotice(store.getState())).toBeNull();
  });
});
