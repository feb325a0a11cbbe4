import { describe, expect, it } from "vitest";
import { type Caller, canRead, canWrite, type OwnedAction, ownerFilter } from "./ownership.js";
import type { Role } from "./permissions.js";

const caller = (role: Role): Caller => ({ id: "me", role });
const own = { ownerId: "me" };
const others = { ownerId: "someone-else" };

/**
 * Written out by hand from the product's rules (decision 0007; src/shared/permissions.ts), not
 * computed from the permission matrix, so a change to the matrix that changes who may do what
 * shows up here. Columns: [own row, someone else's row].
 */
const expected: Record<OwnedAction, Record<Role, [boolean, boolean]>> = {
  "payments:read": { admin: [true, true], user: [true, false], guest: [true, false] },
  "payments:refund": { admin: [true, true], user: [true, false], guest: [false, false] },
  "datasets:read": { admin: [true, true], user: [true, false], guest: [true, true] },
  "datasets:write": { admin: [true, true], user: [true, false], guest: [false, false] },
  "pipelines:read": { admin: [true, true], user: [true, false], guest: [true, true] },
  "pipelines:write": { admin: [true, true], user: [true, false], guest: [false, false] },
  "pipelines:run": { admin: [true, true], user: [true, false], guest: [false, false] },
};

function allowed(action: OwnedAction, who: Caller | null, row: { ownerId: string }): boolean {
  const [area, verb] = action.split(":") as ["payments" | "datasets" | "pipelines", string];
  return verb === "read" ? canRead(who, area, row) : canWrite(who, action as Parameters<typeof canWrite>[1], row);
}

describe("ownership: every role, own and someone else's, every action", () => {
  for (const [action, byRole] of Object.entries(expected) as Array<[OwnedAction, Record<Role, [boolean, boolean]>]>) {
    for (const [role, [onOwn, onOthers]] of Object.entries(byRole) as Array<[Role, [boolean, boolean]]>) {
      it(`${role} ${onOwn ? "may" : "may not"} ${action} their own, ${onOthers ? "may" : "may not"} someone else's`, () => {
        expect(allowed(action, caller(role), own)).toBe(onOwn);
        expect(allowed(action, caller(role), others)).toBe(onOthers);
      });
    }
  }

  it("lets nobody who is not signed in do anything", () => {
    for (const action of Object.keys(expected) as OwnedAction[]) {
      expect(allowed(action, null, own)).toBe(false);
      expect(allowed(action, undefined as unknown as null, others)).toBe(false);
    }
  });

  it("tells a guest that what carries their id is still not theirs to change", () => {
    expect(canWrite({ id: "me", role: "guest" }, "datasets:write", own)).toBe(false);
    expect(canWrite({ id: "me", role: "guest" }, "pipelines:write", own)).toBe(false);
  });
});

describe("ownerFilter", () => {
  it("limits a list to the caller's rows unless they may read everyone's", () => {
    expect(ownerFilter(caller("admin"), "payments")).toBeUndefined();
    expect(ownerFilter(caller("user"), "payments")).toBe("me");
    expect(ownerFilter(caller("guest"), "payments")).toBe("me");
    for (const area of ["datasets", "pipelines"] as const) {
      expect(ownerFilter(caller("admin"), area)).toBeUndefined();
      expect(ownerFilter(caller("user"), area)).toBe("me");
      // Guests are viewers: they browse every data set and pipeline.
      expect(ownerFilter(caller("guest"), area)).toBeUndefined();
    }
  });
});
