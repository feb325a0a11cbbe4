import { describe, expect, it } from "vitest";
import { loginPathFor, safeNextPath } from "./nextPath";

describe("safeNextPath", () => {
  it("returns to a page of this site, with its query", () => {
    expect(safeNextPath("/admin/users?role=guest&page=2")).toBe("/admin/users?role=guest&page=2");
  });

  it("never leaves the site", () => {
    for (const raw of ["//evil.example/x", "https://evil.example", "javascript:alert(1)", "/\\evil.example", "admin"]) {
      expect(safeNextPath(raw)).toBe("/");
    }
  });

  it("does not go back to a sign-in page, and falls back without a next", () => {
    expect(safeNextPath("/login?next=/profile")).toBe("/");
    expect(safeNextPath(null, "/profile")).toBe("/profile");
  });
});

describe("loginPathFor", () => {
  it("remembers the page the user was on", () => {
    expect(loginPathFor({ pathname: "/admin/users", search: "?role=guest" })).toBe(
      "/login?next=%2Fadmin%2Fusers%3Frole%3Dguest",
    );
    expect(safeNextPath(new URLSearchParams("next=%2Fadmin%2Fusers%3Frole%3Dguest").get("next"))).toBe(
      "/admin/users?role=guest",
    );
    expect(loginPathFor({ pathname: "/", search: "" })).toBe("/login");
  });
});
