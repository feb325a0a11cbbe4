import { describe, expect, it } from "vitest";
import { amountExample, amountHint, readAmount, readRefundAmount } from "./amountInput";

describe("readAmount", () => {
  it("turns major units into integer minor units with the currency's decimals", () => {
    expect(readAmount("12.50", "USD", undefined, "en-US")).toEqual({ ok: true, minor: 1250 });
    expect(readAmount("12", "USD", undefined, "en-US")).toEqual({ ok: true, minor: 1200 });
    expect(readAmount("1234", "JPY", undefined, "en-US")).toEqual({ ok: true, minor: 1234 });
    expect(readAmount("1.234", "KWD", undefined, "en-US")).toEqual({ ok: true, minor: 1234 });
    // 0.1 + 0.2 style float error would make this 29.999…
    expect(readAmount("0.30", "USD", undefined, "en-US")).toEqual({ ok: true, minor: 30 });
  });

  it("reads the user's locale: its decimal and group separators", () => {
    expect(readAmount("1,000", "USD", undefined, "en-US")).toEqual({ ok: true, minor: 100_000 });
    expect(readAmount("1,234.50", "USD", undefined, "en-US")).toEqual({ ok: true, minor: 123_450 });
    expect(readAmount(" 12,5 ", "EUR", undefined, "de-DE")).toEqual({ ok: true, minor: 1250 });
    expect(readAmount("1.000,50", "EUR", undefined, "de-DE")).toEqual({ ok: true, minor: 100_050 });
    expect(readAmount("1 000,50", "EUR", undefined, "fr-FR")).toEqual({ ok: true, minor: 100_050 });
  });

  it("never reinterprets: a comma that is not the locale's decimal is refused with the expected form", () => {
    expect(readAmount("12,50", "USD", undefined, "en-US")).toEqual({
      ok: false,
      message: 'Enter an amount like 1,234.56 (decimals after ".")',
    });
    expect(readAmount("12.50", "EUR", undefined, "de-DE")).toEqual({
      ok: false,
      message: 'Enter an amount like 1.234,56 (decimals after ",")',
    });
  });

  it("refuses more decimals than the currency has instead of rounding", () => {
    expect(readAmount("10.005", "USD", undefined, "en-US")).toEqual({
      ok: false,
      message: "USD amounts have 2 decimals",
    });
    expect(readAmount("100.5", "JPY", undefined, "en-US")).toEqual({
      ok: false,
      message: "JPY amounts have no decimals",
    });
  });

  it("says what to type for empty, malformed, zero, negative and oversized amounts", () => {
    const en = (text: string, currency: "USD" | "JPY") => readAmount(text, currency, undefined, "en-US");
    expect(en("  ", "USD")).toEqual({ ok: false, message: "Enter an amount" });
    expect(en("-5", "USD")).toEqual({ ok: false, message: 'Enter an amount like 1,234.56 (decimals after ".")' });
    expect(en("ten", "JPY")).toEqual({ ok: false, message: "Enter an amount like 1,234" });
    expect(en("0.00", "USD")).toEqual({ ok: false, message: "The amount must be greater than zero" });
    expect(en("99999999999999999", "USD")).toEqual({ ok: false, message: "The amount is too large" });
  });

  it("holds the amount to the configured limit, in that currency's units", () => {
    expect(readAmount("999999.99", "USD", 99_999_999, "en-US")).toEqual({ ok: true, minor: 99_999_999 });
    expect(readAmount("1000000", "USD", 99_999_999, "en-US")).toEqual({ ok: false, message: "At most $999,999.99" });
    expect(readAmount("100000000", "JPY", 99_999_999, "en-US")).toEqual({ ok: false, message: "At most ¥99,999,999" });
  });
});

describe("readRefundAmount", () => {
  it("leaves the amount out when empty, which refunds what remains", () => {
    expect(readRefundAmount("", "USD", 500, "en-US")).toEqual({ ok: true, minor: undefined });
  });

  it("refuses more than remains, naming the remainder", () => {
    expect(readRefundAmount("5.00", "USD", 500, "en-US")).toEqual({ ok: true, minor: 500 });
    expect(readRefundAmount("5.01", "USD", 500, "en-US")).toEqual({
      ok: false,
      message: "At most $5.00 remains to refund",
    });
    expect(readRefundAmount("0", "USD", 500, "en-US")).toEqual({
      ok: false,
      message: "The amount must be greater than zero",
    });
  });
});

describe("amount hints", () => {
  it("show the currency's precision by example", () => {
    expect(amountExample("USD", "en-US")).toBe("1,234.56");
    expect(amountExample("EUR", "de-DE")).toBe("1.234,56");
    expect(amountExample("JPY", "en-US")).toBe("1,234");
    expect(amountHint("JPY", 99_999_999, "en-US")).toBe("In JPY, with no decimals, e.g. 1,234. At most ¥99,999,999.");
  });
});
