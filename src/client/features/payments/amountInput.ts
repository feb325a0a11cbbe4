import { type CurrencyCode, currencyExponent, formatMoney, parseMajorUnits } from "../../../shared/money";
import { decimalExample, readLocaleDecimal } from "../../lib/localeNumbers";

/**
 * Amounts are typed in major units, the way the user's locale writes them ("1,234.50" in en-US,
 * "1.234,50" in de-DE), and travel as integer minor units (123450): these turn the text of an
 * amount field into minor units, or into the message to show next to the field. Exact: the
 * text is never read as a float, and never reinterpreted ("12,50" in en-US is refused with the
 * expected form, not charged as 12.50 or 1250). `locale` is the browser's unless given.
 */
export type AmountReading = { ok: true; minor: number } | { ok: false; message: string };

/** "1,234.56" for USD, "1,234" for JPY, "1,234.560" for KWD (in en-US): the currency's decimals, the locale's separators. */
export function amountExample(currency: CurrencyCode, locale?: string): string {
  return decimalExample(locale, currencyExponent(currency));
}

/** "2 decimals", "no decimals": how precisely the currency counts. */
function decimalsOf(currency: CurrencyCode): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return "no decimals";
  return `${exponent} decimal${exponent === 1 ? "" : "s"}`;
}

/** What an amount field says about itself: the currency's precision and, when known, the limit. */
export function amountHint(currency: CurrencyCode, max?: number, locale?: string): string {
  const precision = `In ${currency}, with ${decimalsOf(currency)}, e.g. ${amountExample(currency, locale)}.`;
  return max === undefined ? precision : `${precision} At most ${formatMoney(max, currency, locale)}.`;
}

/** A required amount, above zero and at most `max` minor units. */
export function readAmount(text: string, currency: CurrencyCode, max?: number, locale?: string): AmountReading {
  if (!text.trim()) return { ok: false, message: "Enter an amount" };
  const decimal = readLocaleDecimal(text, locale);
  if (!decimal.ok) {
    const exponent = currencyExponent(currency);
    const how = exponent === 0 ? "" : ` (decimals after "${decimalSeparator(locale)}")`;
    return { ok: false, message: `Enter an amount like ${amountExample(currency, locale)}${how}` };
  }
  // Refused rather than rounded: 10.005 dollars is not an amount anyone can pay.
  const fraction = decimal.canonical.split(".")[1] ?? "";
  if (fraction.length > currencyExponent(currency)) {
    return { ok: false, message: `${currency} amounts have ${decimalsOf(currency)}` };
  }
  const minor = parseMajorUnits(decimal.canonical, currency);
  if (minor === undefined) return { ok: false, message: "The amount is too large" };
  if (minor <= 0) return { ok: false, message: "The amount must be greater than zero" };
  if (max !== undefined && minor > max) {
    return { ok: false, message: `At most ${formatMoney(max, currency, locale)}` };
  }
  return { ok: true, minor };
}

function decimalSeparator(locale?: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === "decimal")?.value ?? ".";
}

export type RefundAmountReading = { ok: true; minor: number | undefined } | { ok: false; message: string };

/** A refund's amount: empty means everything that remains (the server's default). */
export function readRefundAmount(
  text: string,
  currency: CurrencyCode,
  remaining: number,
  locale?: string,
): RefundAmountReading {
  if (!text.trim()) return { ok: true, minor: undefined };
  const reading = readAmount(text, currency, undefined, locale);
  if (!reading.ok) return reading;
  if (reading.minor > remaining) {
    return { ok: false, message: `At most ${formatMoney(remaining, currency, locale)} remains to refund` };
  }
  return reading;
}

/** Minor units as the amount field would take them back ("1,234.50" in en-US): for placeholders. */
export function amountText(minor: number, currency: CurrencyCode, locale?: string): string {
  const exponent = currencyExponent(currency);
  return new Intl.NumberFormat(locale, {
    numberingSystem: "latn",
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(minor / 10 ** exponent);
}
