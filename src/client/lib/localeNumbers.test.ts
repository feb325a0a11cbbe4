import { describe, expect, it } from "vitest";
import { decimalExample, formatCell, formatDecimal, numberFormatRules, readLocaleDecimal } from "./localeNumbers";

const read = (text: string, locale: string) => readLocaleDecimal(text, locale);
const canonical = (text: string) => ({ ok: true, canonical: text });

describe("numberFormatRules", () => {
  it("takes separators and grouping from the locale", () => {
    expect(numberFormatRules("en-US")).toMatchObject({ decimal: ".", group: ",", primaryGroup: 3, secondaryGroup: 3 });
    expect(numberFormatRules("de-DE")).toMatchObject({ decimal: ",", group: "." });
    expect(numberFormatRules("fr-FR").decimal).toBe(",");
    expect(numberFormatRules("en-IN")).toMatchObject({ primaryGroup: 3, secondaryGroup: 2 });
  });
});

describe("readLocaleDecimal", () => {
  it("reads en-US: point for decimals, comma for thousands", () => {
    expect(read("12.50", "en-US")).toEqual(canonical("12.50"));
    expect(read("1,000", "en-US")).toEqual(canonical("1000"));
    expect(read("1,234,567.5", "en-US")).toEqual(canonical("1234567.5"));
    expect(read(".5", "en-US")).toEqual(canonical("0.5"));
  });

  it("reads de-DE: comma for decimals, point for thousands", () => {
    expect(read("12,50", "de-DE")).toEqual(canonical("12.50"));
    expect(read("1.000", "de-DE")).toEqual(canonical("1000"));
    expect(read("1.234,5", "de-DE")).toEqual(canonical("1234.5"));
  });

  it("reads fr-FR with any kind of space between thousands", () => {
    expect(read("1 234,5", "fr-FR")).toEqual(canonical("1234.5"));
    expect(read("1\u202f234,5", "fr-FR")).toEqual(canonical("1234.5"));
    expect(read("12,50", "fr-FR")).toEqual(canonical("12.50"));
  });

  it("reads en-IN's lakh grouping and de-CH's apostrophe", () => {
    expect(read("12,34,567.89", "en-IN")).toEqual(canonical("1234567.89"));
    expect(read("1'234.50", "de-CH")).toEqual(canonical("1234.50"));
  });

  it("refuses what the locale would not write, saying what it expects instead of guessing", () => {
    // The report: "12,50" in en-US was charged as 12.50. It is neither 12.50 nor 1250 there.
    expect(read("12,50", "en-US")).toEqual({
      ok: false,
      message: '"12,50" is not a number here. Write it like 1,234.56 (decimals after ".").',
    });
    expect(read("12.50", "de-DE")).toEqual({
      ok: false,
      message: '"12.50" is not a number here. Write it like 1.234,56 (decimals after ",").',
    });
    expect(read("1.2.3", "en-US")).toMatchObject({ ok: false, message: expect.stringContaining("more than one") });
    expect(read("12a", "en-US").ok).toBe(false);
    expect(read("-5", "en-US").ok).toBe(false);
    expect(read("1,2345", "en-US").ok).toBe(false);
    expect(read(",", "de-DE").ok).toBe(false);
  });

  it("gives each locale's own example", () => {
    expect(decimalExample("en-US")).toBe("1,234.56");
    expect(decimalExample("de-DE")).toBe("1.234,56");
    expect(decimalExample("en-US", 0)).toBe("1,234");
  });
});

describe("formatCell", () => {
  it("shows a float column's noise as the number people mean, by locale", () => {
    expect(formatCell(5.737499999999999, "number", "en-US")).toBe("5.7375");
    expect(formatCell(5.737499999999999, "number", "de-DE")).toBe("5,7375");
    expect(formatCell(1234567.125, "number", "en-US")).toBe("1,234,567.125");
    expect(formatDecimal(0.0000001234, "en-US")).toBe("1.234E-7");
  });

  it("groups integers, exactly even past 2^53", () => {
    expect(formatCell(1234567, "integer", "en-US")).toBe("1,234,567");
    expect(formatCell(1234567, "integer", "de-DE")).toBe("1.234.567");
    expect(formatCell("12345678901234567890", "integer", "en-US")).toBe("12,345,678,901,234,567,890");
  });

  it("leaves text, booleans and dates as they are, and marks empty cells", () => {
    expect(formatCell("1234.5", "text", "en-US")).toBe("1234.5");
    expect(formatCell(true, "boolean", "en-US")).toBe("true");
    expect(formatCell("2026-12-03", "date", "en-US")).toBe("2026-12-03");
    expect(formatCell(null, "number", "en-US")).toBe("—");
  });
});
