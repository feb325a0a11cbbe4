import { describe, expect, it } from "vitest";
import { can, type Role } from "../../../shared/permissions";
import { mayChange, mayRun } from "./ownership";

const viewer = (role: Role, userId = "me") => ({
  userId,
  can: (permission: Parameters<typeof can>[1]) => can(role, permission),
});

describe("mayChange", () => {
  it("lets users change their own data sets and pipelines only", () => {
    expect(mayChange(viewer("user"), "datasets", "me")).toBe(true);
    expect(mayChange(viewer("user"), "pipelines", "someone-else")).toBe(false);
  });

  it("lets admins change everyone's", () => {
    expect(mayChange(viewer("admin"), "datasets", "someone-else")).toBe(true);
  });

  it("lets guests change nothing, not even what carries their id", () => {
    expect(mayChange(viewer("guest"), "datasets", "me")).toBe(false);
    expect(mayChange(viewer("guest"), "pipelines", "me")).toBe(false);
  });
});

describe("mayRun", () => {
  it("lets owners and admins run a pipeline, guests never", () => {
    expect(mayRun(viewer("user"), "me")).toBe(true);
    expect(mayRun(viewer("user"), "someone-else")).toBe(false);
    expect(mayRun(viewer("admin"), "someone-else")).toBe(true);
    expect(mayRun(viewer("guest"), "me")).toBe(false);
  });
});
