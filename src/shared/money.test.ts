import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyCodes, currencyExponent, formatMinorUnits, formatMoney, parseMajorUnits } from "./money.js";
import { currencySchema, minorAmountSchema } from "./schemas/money.js";

describe("money", () => {
  it("knows each currency's exponent", () => {
    expect(currencyExponent("USD")).toBe(2);
    expect(currencyExponent("EUR")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("KWD")).toBe(3);
  });

  it("formats minor units with exactly the currency's decimals", () => {
    expect(formatMinorUnits(1234, "USD")).toBe("12.34");
    expect(formatMinorUnits(5, "USD")).toBe("0.05");
    expect(formatMinorUnits(1234, "JPY")).toBe("1234");
    expect(formatMinorUnits(1234, "KWD")).toBe("1.234");
    expect(formatMinorUnits(-50, "KWD")).toBe("-0.050");
    expect(formatMoney(123456, "USD", "en-US")).toBe("$1,234.56");
    expect(formatMoney(1500, "JPY", "en-US")).toBe("¥1,500");
    expect(formatMoney(1500, "KWD", "en-US")).toMatch(/KWD\s?1\.500/);
  });

  it("parses what it formats, for every currency, without floats", () => {
    fc.assert(
      fc.property(fc.constantFrom(...currencyCodes), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (c, n) => {
        expect(parseMajorUnits(formatMinorUnits(n, c), c)).toBe(n);
      }),
    );
    expect(parseMajorUnits("12.5", "USD")).toBe(1250);
    expect(parseMajorUnits("1.005", "USD")).toBeUndefined();
    expect(parseMajorUnits("1.5", "JPY")).toBeUndefined();
    expect(parseMajorUnits("-1", "USD")).toBeUndefined();
    expect(parseMajorUnits("abc", "USD")).toBeUndefined();
  });

  it("accepts supported ISO codes in any case and refuses the rest", () => {
    expect(currencySchema.parse("usd")).toBe("USD");
    expect(currencySchema.safeParse("XXX").success).toBe(false);
    expect(currencySchema.safeParse("US").success).toBe(false);
    expect(minorAmountSchema.safeParse(0).success).toBe(false);
    expect(minorAmountSchema.safeParse(-1).success).toBe(false);
    expect(minorAmountSchema.safeParse(1.5).success).toBe(false);
    expect(minorAmountSchema.safeParse(1).success).toBe(true);
  });
});
