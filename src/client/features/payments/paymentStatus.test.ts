import { describe, expect, it } from "vitest";
import {
  explainFailure,
  isSettling,
  paymentStatusOptions,
  refundStatusLabel,
  statusLabel,
  statusTone,
} from "./paymentStatus";

describe("payment status labels", () => {
  it("names every status in words, refunds included", () => {
    expect(statusLabel("partially_refunded")).toBe("Partially refunded");
    expect(statusLabel("processing")).toBe("Processing");
    expect(refundStatusLabel("succeeded")).toBe("Refunded");
    expect(paymentStatusOptions.map((option) => option.value)).toEqual([
      "pending",
      "processing",
      "succeeded",
      "failed",
      "canceled",
      "partially_refunded",
      "refunded",
    ]);
  });

  it("colours taken, not taken, waiting and returned money apart", () => {
    expect(statusTone("succeeded")).toBe("up");
    expect(statusTone("failed")).toBe("down");
    expect(statusTone("canceled")).toBe("down");
    expect(statusTone("processing")).toBe("degraded");
    expect(statusTone("refunded")).toBe("neutral");
  });

  it("keeps listening only while the provider has not decided", () => {
    expect(isSettling("pending")).toBe(true);
    expect(isSettling("processing")).toBe(true);
    expect(isSettling("succeeded")).toBe(false);
    expect(isSettling("failed")).toBe(false);
  });
});

describe("explainFailure", () => {
  it("says plainly that a declined card took no money", () => {
    const explained = explainFailure({ code: "card_declined", message: "Your card was declined." });
    expect(explained.title).toBe("Your card was declined");
    expect(explained.detail).toMatch(/no money was taken/i);
  });

  it("tells insufficient funds apart from a decline", () => {
    expect(explainFailure({ code: "insufficient_funds", message: "Your card has insufficient funds." }).title).toBe(
      "Insufficient funds",
    );
  });

  it("falls back to the provider's own message for reasons it does not know", () => {
    expect(explainFailure({ code: "expired_card", message: "Your card has expired." })).toEqual({
      title: "The payment failed",
      detail: "Your card has expired.",
    });
    expect(explainFailure(null).title).toBe("The payment failed");
  });
});
