import { type CurrencyCode, currencyExponent, formatMinorUnits, parseMajorUnits } from "../../../shared/money";

/**
 * Amounts are typed in major units ("12.50") and travel as integer minor units (1250):
 * these turn the text of an amount field into minor units, or into the message to show
 * next to the field. Exact: the text is never read as a float.
 */
export type AmountReading = { ok: true; minor: number } | { ok: false; message: string };

const DECIMAL_TEXT = /^\d+(?:[.,](\d*))?$/;

/** "12.34" for USD, "12" for JPY, "12.345" for KWD: an example with exactly the currency's decimals. */
export function amountExample(currency: CurrencyCode): string {
  return formatMinorUnits(Number("12345".slice(0, 2 + currencyExponent(currency))), currency);
}

/** "2 decimals", "no decimals": how precisely the currency counts. */
function decimalsOf(currency: CurrencyCode): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return "no decimals";
  return `${exponent} decimal${exponent === 1 ? "" : "s"}`;
}

/** What an amount field says about itself: the currency's precision and, when known, the limit. */
export function amountHint(currency: CurrencyCode, max?: number): string {
  const precision = `In ${currency}, with ${decimalsOf(currency)}, e.g. ${amountExample(currency)}.`;
  return max === undefined ? precision : `${precision} At most ${formatMinorUnits(max, currency)}.`;
}

/** A required amount, above zero and at most `max` minor units. */
export function readAmount(text: string, currency: CurrencyCode, max?: number): AmountReading {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, message: "Enter an amount" };
  const shape = DECIMAL_TEXT.exec(trimmed);
  if (!shape) return { ok: false, message: `Enter an amount like ${amountExample(currency)}` };
  // Refused rather than rounded: 10.005 dollars is not an amount anyone can pay.
  if ((shape[1]?.length ?? 0) > currencyExponent(currency)) {
    return { ok: false, message: `${currency} amounts have ${decimalsOf(currency)}` };
  }
  const minor = parseMajorUnits(trimmed, currency);
  if (minor === undefined) return { ok: false, message: "The amount is too large" };
  if (minor <= 0) return { ok: false, message: "The amount must be greater than zero" };
  if (max !== undefined && minor > max) {
    return { ok: false, message: `At most ${formatMinorUnits(max, currency)} ${currency}` };
  }
  return { ok: true, minor };
}

export type RefundAmountReading = { ok: true; minor: number | undefined } | { ok: false; message: string };

/** A refund's amount: empty means everything that remains (the server's default). */
export function readRefundAmount(text: string, currency: CurrencyCode, remaining: number): RefundAmountReading {
  if (!text.trim()) return { ok: true, minor: undefined };
  const reading = readAmount(text, currency);
  if (!reading.ok) return reading;
  if (reading.minor > remaining) {
    return { ok: false, message: `At most ${formatMinorUnits(remaining, currency)} ${currency} remains to refund` };
  }
  return reading;
}
