import { describe, expect, it } from "vitest";
import { can, type Role } from "../../../shared/permissions";
import { isRefundable, mayRefund } from "./refundRights";

const viewer = (role: Role, userId = "me") => ({
  userId,
  can: (permission: Parameters<typeof can>[1]) => can(role, permission),
});

describe("mayRefund", () => {
  it("lets a user refund their own payment but not someone else's", () => {
    expect(mayRefund(viewer("user"), { userId: "me" })).toBe(true);
    expect(mayRefund(viewer("user"), { userId: "someone-else" })).toBe(false);
  });

  it("lets an admin refund anyone's payment", () => {
    expect(mayRefund(viewer("admin"), { userId: "someone-else" })).toBe(true);
  });

  it("never lets a guest refund, not even their own", () => {
    expect(mayRefund(viewer("guest"), { userId: "me" })).toBe(false);
  });
});

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
