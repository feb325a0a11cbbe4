import { describe, expect, it } from "vitest";
import { isPaymentId, paymentPath, shortId } from "./paymentLinks";

describe("payment links", () => {
  const id = "3f2a9c1e-7b4d-4c2a-9e1f-0a1b2c3d4e5f";

  it("accepts only UUIDs as payment ids from the URL", () => {
    expect(isPaymentId(id)).toBe(true);
    expect(isPaymentId("new")).toBe(false);
    expect(isPaymentId(`${id}x`)).toBe(false);
    expect(isPaymentId(undefined)).toBe(false);
  });

  it("links to the detail page and shortens ids for tables", () => {
    expect(paymentPath(id)).toBe(`/payments/${id}`);
    expect(shortId(id)).toBe("3f2a9c1e…");
  });
});
