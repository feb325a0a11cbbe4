import { describe, expect, it } from "vitest";
import { isUuid, shortId } from "../../../shared/ids";
import { paymentPath } from "./paymentLinks";

describe("payment links", () => {
  const id = "3f2a9c1e-7b4d-4c2a-9e1f-0a1b2c3d4e5f";

  it("accepts only UUIDs as payment ids from the URL", () => {
    expect(isUuid(id)).toBe(true);
    expect(isUuid("new")).toBe(false);
    expect(isUuid(`${id}x`)).toBe(false);
    expect(isUuid(undefined)).toBe(false);
  });

  it("links to the detail page and shortens ids for tables", () => {
    expect(paymentPath(id)).toBe(`/payments/${id}`);
    expect(shortId(id)).toBe("3f2a9c1e…");
  });
});
