/**
 * Money is an integer count of minor units plus an ISO 4217 code, never a float. Each
 * currency knows its exponent (digits after the decimal point), so the server validates and
 * the client formats with the same table: 1234 USD is 12.34, 1234 JPY is 1,234, 1234 KWD is 1.234.
 */
export const currencies = {
  USD: { exponent: 2, name: "US dollar" },
  EUR: { exponent: 2, name: "Euro" },
  GBP: { exponent: 2, name: "Pound sterling" },
  CHF: { exponent: 2, name: "Swiss franc" },
  CAD: { exponent: 2, name: "Canadian dollar" },
  AUD: { exponent: 2, name: "Australian dollar" },
  NZD: { exponent: 2, name: "New Zealand dollar" },
  SEK: { exponent: 2, name: "Swedish krona" },
  NOK: { exponent: 2, name: "Norwegian krone" },
  DKK: { exponent: 2, name: "Danish krone" },
  PLN: { exponent: 2, name: "Polish złoty" },
  CZK: { exponent: 2, name: "Czech koruna" },
  INR: { exponent: 2, name: "Indian rupee" },
  BRL: { exponent: 2, name: "Brazilian real" },
  MXN: { exponent: 2, name: "Mexican peso" },
  SGD: { exponent: 2, name: "Singapore dollar" },
  HKD: { exponent: 2, name: "Hong Kong dollar" },
  ZAR: { exponent: 2, name: "South African rand" },
  JPY: { exponent: 0, name: "Japanese yen" },
  KRW: { exponent: 0, name: "South Korean won" },
  VND: { exponent: 0, name: "Vietnamese đồng" },
  CLP: { exponent: 0, name: "Chilean peso" },
  KWD: { exponent: 3, name: "Kuwaiti dinar" },
  BHD: { exponent: 3, name: "Bahraini dinar" },
  JOD: { exponent: 3, name: "Jordanian dinar" },
  OMR: { exponent: 3, name: "Omani rial" },
  TND: { exponent: 3, name: "Tunisian dinar" },
} as const satisfies Record<string, { exponent: 0 | 2 | 3; name: string }>;

export type CurrencyCode = keyof typeof currencies;
export const currencyCodes = Object.keys(currencies) as [CurrencyCode, ...CurrencyCode[]];

export function isCurrencyCode(value: string): value is CurrencyCode {
  return Object.hasOwn(currencies, value);
}

export function currencyExponent(currency: CurrencyCode): number {
  return currencies[currency].exponent;
}

/** "12.34" for 1234 USD, "1234" for 1234 JPY, "-0.050" for -50 KWD: exact, no grouping, no floats. */
export function formatMinorUnits(amount: number, currency: CurrencyCode): string {
  const exponent = currencyExponent(currency);
  const negative = amount < 0;
  const digits = Math.abs(Math.trunc(amount)).toString();
  if (exponent === 0) return `${negative ? "-" : ""}${digits}`;
  const padded = digits.padStart(exponent + 1, "0");
  const whole = padded.slice(0, -exponent);
  const fraction = padded.slice(-exponent);
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/**
 * "12.5" USD -> 1250. Undefined when the text is not a plain non-negative decimal or has more
 * decimals than the currency allows (so "1.005" USD is refused rather than rounded).
 */
export function parseMajorUnits(text: string, currency: CurrencyCode): number | undefined {
  const exponent = currencyExponent(currency);
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(text.trim());
  if (!match) return undefined;
  const whole = match[1] ?? "0";
  const fraction = match[2] ?? "";
  if (fraction.length > exponent) return undefined;
  const minor = Number(`${whole}${fraction.padEnd(exponent, "0")}`);
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** Localised display ("$12.34", "¥1,234", "KWD 1.234") with exactly the currency's decimals. */
export function formatMoney(amount: number, currency: CurrencyCode, locale?: string): string {
  const exponent = currencyExponent(currency);
  const formatter = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // Dividing by a power of ten is exact enough for display of safe integers; the arithmetic
  // that matters (validation, ledger) never leaves integers.
  return formatter.format(amount / 10 ** exponent);
}
