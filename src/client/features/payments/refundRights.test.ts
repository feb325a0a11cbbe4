import { describe, expect, it } from "vitest";
import { isRefundable } from "./refundRights";

describe("isRefundable", () => {
  it("offers a refund only for captured payments with something left", () => {
    expect(isRefundable({ status: "succeeded", refundableAmount: 1000 })).toBe(true);
    expect(isRefundable({ status: "partially_refunded", refundableAmount: 1 })).toBe(true);
    expect(isRefundable({ status: "partially_refunded", refundableAmount: 0 })).toBe(false);
    expect(isRefundable({ status: "processing", refundableAmount: 0 })).toBe(false);
    expect(isRefundable({ status: "failed", refundableAmount: 0 })).toBe(false);
    expect(isRefundable({ status: "refunded", refundableAmount: 0 })).toBe(false);
  });
});
