import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type PaymentStatus, paymentStatuses } from "../../../shared/schemas/payments.js";
import { captureLines, isBalanced, refundLines } from "./ledger.js";
import {
  assertTransition,
  canTransition,
  isTerminal,
  pathTo,
  type SettlementStatus,
  statusAfterRefund,
  transitions,
} from "./state-machine.js";

const settlement: SettlementStatus[] = ["processing", "succeeded", "failed", "canceled"];
const status = fc.constantFrom(...paymentStatuses);

describe("payment state machine", () => {
  it("allows exactly the documented transitions", () => {
    expect(transitions).toEqual({
      pending: ["processing", "failed", "canceled"],
      processing: ["succeeded", "failed", "canceled"],
      succeeded: ["partially_refunded", "refunded"],
      partially_refunded: ["partially_refunded", "refunded"],
      failed: [],
      canceled: [],
      refunded: [],
    });
    expect(() => assertTransition("succeeded", "processing")).toThrow(/cannot go from succeeded to processing/);
    expect(() => assertTransition("failed", "succeeded")).toThrow();
    for (const terminal of ["failed", "canceled", "refunded"] as const) expect(isTerminal(terminal)).toBe(true);
  });

  it("reaches every status from pending", () => {
    const seen = new Set<PaymentStatus>(["pending"]);
    const queue: PaymentStatus[] = ["pending"];
    for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
      for (const next of transitions[at]) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    expect([...seen].sort()).toEqual([...paymentStatuses].sort());
  });

  it("walks only legal steps, and never backwards, under any sequence of provider reports", () => {
    const order: Record<string, number> = {
      pending: 0,
      processing: 1,
      succeeded: 2,
      failed: 2,
      canceled: 2,
      partially_refunded: 3,
      refunded: 4,
    };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...settlement), { maxLength: 30 }), (reports) => {
        let at: PaymentStatus = "pending";
        for (const report of reports) {
          const path = pathTo(at, report);
          if (path === null) continue;
          for (const step of path) {
            expect(canTransition(at, step)).toBe(true);
            expect(order[step]).toBeGreaterThan(order[at] ?? -1);
            at = step;
          }
          expect(at).toBe(report);
        }
      }),
    );
  });

  it("finds a path exactly when the report lies ahead", () => {
    fc.assert(
      fc.property(status, fc.constantFrom(...settlement), (from, to) => {
        const path = pathTo(from, to);
        if (from === to) expect(path).toEqual([]);
        else if (path) expect(path.at(-1)).toBe(to);
        // Terminal and refund statuses never settle again.
        if (isTerminal(from) || from === "partially_refunded") expect(path === null || path.length === 0).toBe(true);
      }),
    );
    expect(pathTo("pending", "succeeded")).toEqual(["processing", "succeeded"]);
    expect(pathTo("succeeded", "processing")).toBeNull();
    expect(pathTo("succeeded", "failed")).toBeNull();
  });

  it("books balanced entries for any capture and any refunds of it, and ends refunded only when all is back", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.array(fc.integer({ min: 1, max: 99_999_999 }), { maxLength: 10 }),
        (amount, attempts) => {
          const lines = [...captureLines({ provider: "sandbox", currency: "USD", amount })];
          expect(isBalanced(lines)).toBe(true);
          let refunded = 0;
          let at: PaymentStatus = "succeeded";
          for (const attempt of attempts) {
            if (attempt > amount - refunded) continue;
            refunded += attempt;
            const next = statusAfterRefund(amount, refunded);
            expect(canTransition(at, next)).toBe(true);
            at = next;
            const refund = refundLines({ provider: "sandbox", currency: "USD", amount: attempt });
            expect(isBalanced(refund)).toBe(true);
            lines.push(...refund);
          }
          expect(isBalanced(lines)).toBe(true);
          expect(at === "refunded").toBe(refunded === amount);
          const providerBalance = lines
            .filter((l) => l.account === "provider_balance:sandbox")
            .reduce((s, l) => s + l.amount, 0);
          expect(providerBalance).toBe(amount - refunded);
        },
      ),
    );
  });
});
