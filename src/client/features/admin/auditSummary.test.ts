import { describe, expect, it } from "vitest";
import { describeActor, summarizePayload } from "./auditSummary";

describe("summarizePayload", () => {
  it("lists the fields of an event on one line", () => {
    expect(summarizePayload({ userId: "u1", from: "user", to: "guest" })).toBe("userId=u1 from=user to=guest");
    expect(summarizePayload({ disabled: true, revokedSessionIds: ["a", "b"], extra: { x: 1 } })).toBe(
      "disabled=true revokedSessionIds=[2] extra={…}",
    );
  });

  it("keeps long payloads short", () => {
    const summary = summarizePayload({ a: "x".repeat(100), b: "y".repeat(100), c: "z".repeat(100) });
    expect(summary.length).toBeLessThanOrEqual(120);
    expect(summary.endsWith("…")).toBe(true);
  });

  it("copes with payloads that are not objects", () => {
    expect(summarizePayload(null)).toBe("—");
    expect(summarizePayload("hello")).toBe("hello");
  });
});

describe("describeActor", () => {
  it("shortens ids that are uuids and keeps readable ones", () => {
    expect(describeActor("user", "3f2a9c4e-1111-4222-8333-444455556666")).toBe("user 3f2a9c4e…");
    expect(describeActor("system", "admin-bootstrap")).toBe("system admin-bootstrap");
    expect(describeActor("anonymous", null)).toBe("anonymous");
  });
});
