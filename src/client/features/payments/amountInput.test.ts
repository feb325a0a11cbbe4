import { describe, expect, it } from "vitest";
import { amountExample, amountHint, readAmount, readRefundAmount } from "./amountInput";

describe("readAmount", () => {
  it("turns major units into integer minor units with the currency's decimals", () => {
    expect(readAmount("12.50", "USD")).toEqual({ ok: true, minor: 1250 });
    expect(readAmount(" 12,5 ", "EUR")).toEqual({ ok: true, minor: 1250 });
    expect(readAmount("12", "USD")).toEqual({ ok: true, minor: 1200 });
    expect(readAmount("1234", "JPY")).toEqual({ ok: true, minor: 1234 });
    expect(readAmount("1.234", "KWD")).toEqual({ ok: true, minor: 1234 });
    // 0.1 + 0.2 style float error would make this 29.999…
    expect(readAmount("0.30", "USD")).toEqual({ ok: true, minor: 30 });
  });

  it("refuses more decimals than the currency has instead of rounding", () => {
    expect(readAmount("10.005", "USD")).toEqual({ ok: false, message: "USD amounts have 2 decimals" });
    expect(readAmount("100.5", "JPY")).toEqual({ ok: false, message: "JPY amounts have no decimals" });
  });

  it("says what to type for empty, malformed, zero, negative and oversized amounts", () => {
    expect(readAmount("  ", "USD")).toEqual({ ok: false, message: "Enter an amount" });
    expect(readAmount("1,234.50", "USD")).toEqual({ ok: false, message: "Enter an amount like 12.34" });
    expect(readAmount("-5", "USD")).toEqual({ ok: false, message: "Enter an amount like 12.34" });
    expect(readAmount("ten", "JPY")).toEqual({ ok: false, message: "Enter an amount like 12" });
    expect(readAmount("0.00", "USD")).toEqual({ ok: false, message: "The amount must be greater than zero" });
    expect(readAmount("99999999999999999", "USD")).toEqual({ ok: false, message: "The amount is too large" });
  });

  it("holds the amount to the configured limit, in that currency's units", () => {
    expect(readAmount("999999.99", "USD", 99_999_999)).toEqual({ ok: true, minor: 99_999_999 });
    expect(readAmount("1000000", "USD", 99_999_999)).toEqual({ ok: false, message: "At most 999999.99 USD" });
    expect(readAmount("100000000", "JPY", 99_999_999)).toEqual({ ok: false, message: "At most 99999999 JPY" });
  });
});

describe("readRefundAmount", () => {
  it("leaves the amount out when empty, which refunds what remains", () => {
    expect(readRefundAmount("", "USD", 500)).toEqual({ ok: true, minor: undefined });
  });

  it("refuses more than remains, naming the remainder", () => {
    expect(readRefundAmount("5.00", "USD", 500)).toEqual({ ok: true, minor: 500 });
    expect(readRefundAmount("5.01", "USD", 500)).toEqual({ ok: false, message: "At most 5.00 USD remains to refund" });
    expect(readRefundAmount("0", "USD", 500)).toEqual({ ok: false, message: "The amount must be greater than zero" });
  });
});

describe("amount hints", () => {
  it("show the currency's precision by example", () => {
    expect(amountExample("USD")).toBe("12.34");
    expect(amountExample("JPY")).toBe("12");
    expect(amountExample("KWD")).toBe("12.345");
    expect(amountHint("JPY", 99_999_999)).toBe("In JPY, with no decimals, e.g. 12. At most 99999999.");
  });
});
