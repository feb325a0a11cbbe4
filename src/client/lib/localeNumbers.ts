import type { CellValue, ColumnType } from "../../shared/schemas/pipelines";

/**
 * Numbers as people of a locale read and write them (decision 0024): shown through
 * Intl.NumberFormat, read back with the locale's own decimal and group separators, and never
 * guessed: text that could mean two things is refused with a message that shows the expected
 * form, rather than read one way silently ("12,50" is not $1,250 nor $12.50 in en-US).
 *
 * `locale` is undefined in the app (the browser's language); tests pass one.
 */

export interface NumberFormatRules {
  decimal: string;
  group: string;
  /** Digits in the last group before the decimals (3), and in the groups before it (3, or 2 in en-IN). */
  primaryGroup: number;
  secondaryGroup: number;
}

const rulesCache = new Map<string, NumberFormatRules>();

/** The locale's separators and grouping, read from `formatToParts` of a large number. */
export function numberFormatRules(locale?: string): NumberFormatRules {
  const key = locale ?? "";
  const cached = rulesCache.get(key);
  if (cached) return cached;
  const parts = new Intl.NumberFormat(locale, { numberingSystem: "latn" }).formatToParts(123456789.5);
  const integers = parts.filter((part) => part.type === "integer").map((part) => part.value.length);
  const rules: NumberFormatRules = {
    decimal: parts.find((part) => part.type === "decimal")?.value ?? ".",
    group: parts.find((part) => part.type === "group")?.value ?? ",",
    primaryGroup: integers.at(-1) ?? 3,
    secondaryGroup: integers.length > 2 ? (integers.at(-2) ?? 3) : (integers.at(-1) ?? 3),
  };
  rulesCache.set(key, rules);
  return rules;
}

/** "1,234.56" in en-US, "1.234,56" in de-DE: how the locale writes a number with decimals. */
export function decimalExample(locale?: string, fractionDigits = 2): string {
  return new Intl.NumberFormat(locale, {
    numberingSystem: "latn",
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(fractionDigits === 0 ? 1234 : 1234.56);
}

export type DecimalReading = { ok: true; canonical: string } | { ok: false; message: string };

/** Spaces of any width count as one: fr-FR groups with a narrow no-break space nobody types. */
const SPACES = /[\s\u00a0\u202f]/g;

function isSpace(separator: string): boolean {
  return separator.replace(SPACES, "") === "";
}

function validGrouping(groups: readonly string[], rules: NumberFormatRules): boolean {
  const [first, ...rest] = groups;
  if (!first || !/^\d+$/.test(first) || rest.length === 0) return false;
  const last = rest.at(-1) ?? "";
  const middle = rest.slice(0, -1);
  const firstMax = rest.length > 1 ? rules.secondaryGroup : rules.primaryGroup;
  return (
    first.length <= Math.max(firstMax, rules.secondaryGroup) &&
    last.length === rules.primaryGroup &&
    /^\d+$/.test(last) &&
    middle.every((group) => group.length === rules.secondaryGroup && /^\d+$/.test(group))
  );
}

/**
 * Reads a non-negative decimal typed in the locale's way ("1,234.5" in en-US, "1.234,5" in
 * de-DE, "1 234,5" in fr-FR) as canonical text ("1234.5") for exact parsing. Group separators
 * are optional but, when present, must group the digits as the locale does; anything else is
 * refused with the locale's own example.
 */
export function readLocaleDecimal(text: string, locale?: string): DecimalReading {
  const rules = numberFormatRules(locale);
  const example = decimalExample(locale);
  const expected = `Write it like ${example} (decimals after "${rules.decimal}")`;
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, message: "Enter a number" };
  const normalised = isSpace(rules.group) ? trimmed.replace(SPACES, " ") : trimmed;
  const group = isSpace(rules.group) ? " " : rules.group;

  const pieces = normalised.split(rules.decimal);
  if (pieces.length > 2)
    return { ok: false, message: `"${trimmed}" has more than one "${rules.decimal}". ${expected}.` };
  const [whole = "", fraction] = pieces;
  if (fraction !== undefined && !/^\d*$/.test(fraction)) {
    return { ok: false, message: `"${trimmed}" is not a number here. ${expected}.` };
  }
  if (!/^\d*$/.test(whole)) {
    const groups = whole.split(group);
    if (groups.length < 2 || !validGrouping(groups, rules)) {
      return { ok: false, message: `"${trimmed}" is not a number here. ${expected}.` };
    }
  }
  const digits = whole.split(group).join("");
  if (!digits && !fraction) return { ok: false, message: `"${trimmed}" is not a number here. ${expected}.` };
  return { ok: true, canonical: fraction ? `${digits || "0"}.${fraction}` : digits || "0" };
}

// --- Showing numbers -------------------------------------------------------------------------

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ""}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.NumberFormat(locale, options);
    formatters.set(key, found);
  }
  return found;
}

/** Columns whose cells are numbers: right-aligned, formatted by the locale. */
export function isNumericType(type: ColumnType): boolean {
  return type === "integer" || type === "number";
}

/**
 * A number of a `number` column: up to six decimals (5.737499999999999 shows as 5.7375), tiny
 * and huge magnitudes in scientific notation so they never read as 0 or a wall of digits.
 */
export function formatDecimal(value: number, locale?: string): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-6 || magnitude >= 1e15)) {
    return formatter(locale, { notation: "scientific", maximumSignificantDigits: 6 }).format(value);
  }
  return formatter(locale, { maximumFractionDigits: 6 }).format(value);
}

/** A whole number with the locale's grouping; integers beyond 2^53 arrive as text and stay exact. */
export function formatInteger(value: number | string, locale?: string): string {
  const nf = formatter(locale, { maximumFractionDigits: 0 });
  if (typeof value === "number") return nf.format(value);
  return /^-?\d+$/.test(value) ? nf.format(BigInt(value)) : value;
}

/**
 * A cell as a person of `locale` reads it, by its column's type: numbers by the locale; dates and
 * timestamps stay ISO (unambiguous, and in the data's own time zone). Exact values stay available
 * (the cell's title, the CSV export); this is only how it is shown.
 */
export function formatCell(value: CellValue, type: ColumnType, locale?: string): string {
  if (value === null) return "—";
  if (type === "integer" && (typeof value === "number" || typeof value === "string")) {
    return formatInteger(value, locale);
  }
  if (type === "number") {
    const number = typeof value === "number" ? value : Number(value);
    return typeof value === "string" && !Number.isFinite(number) ? value : formatDecimal(number, locale);
  }
  return String(value);
}
