import type { ColumnType } from "../../../shared/schemas/pipelines.js";

/**
 * What text counts as a value of each column type. Import inference, import validation,
 * filter values and expression literals all use these, and each accepts only a subset of what
 * PostgreSQL's own input functions accept, so a value checked here never fails to load.
 */

// Each pattern matches one way only (no two quantifiers can share a character), so a test is
// linear in the text; values are trimmed first for the same reason (`\s*x\s*$` is not).
const INTEGER = /^[+-]?\d{1,19}$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:\s*(Z|z|[+-]\d{2}(?::?\d{2})?))?$/;
const BOOLEAN = /^(?:true|false|t|f|yes|no|y|n)$/i;
const TRUE = /^(?:true|t|yes|y)$/i;

/**
 * Longer than any value of a typed column is written (a number with every digit a double can
 * tell apart is under 30 characters): longer text is text, without looking further, so one
 * huge cell costs a length check, not a scan per type.
 */
const MAX_TYPED_VALUE_CHARS = 100;

/** The text to test, or undefined when it is too long to be anything but text. */
function candidate(text: string): string | undefined {
  if (text.length > MAX_TYPED_VALUE_CHARS) return undefined;
  return text.trim();
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

export function isInteger(text: string): boolean {
  const value = candidate(text);
  if (value === undefined || !INTEGER.test(value)) return false;
  const n = BigInt(value);
  return n <= INT64_MAX && n >= INT64_MIN;
}

export function isNumber(text: string): boolean {
  const value = candidate(text);
  return value !== undefined && NUMBER.test(value) && Number.isFinite(Number(value));
}

function validDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

export function isDate(text: string): boolean {
  const value = candidate(text);
  const m = value === undefined ? null : DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDate(year, month, day);
}

export function isTimestamp(text: string): boolean {
  const value = candidate(text);
  const m = value === undefined ? null : TIMESTAMP.exec(value);
  if (!m) return isDate(text); // a bare date is midnight
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return validDate(year, month, day) && hour <= 23 && minute <= 59 && second <= 59;
}

export function isBoolean(text: string): boolean {
  const value = candidate(text);
  return value !== undefined && BOOLEAN.test(value);
}

export function isValueOf(type: ColumnType, text: string): boolean {
  switch (type) {
    case "integer":
      return isInteger(text);
    case "number":
      return isNumber(text);
    case "boolean":
      return isBoolean(text);
    case "date":
      return isDate(text);
    case "timestamp":
      return isTimestamp(text);
    case "text":
      return true;
  }
}

const typeNames: Record<ColumnType, string> = {
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  date: "a date (YYYY-MM-DD)",
  timestamp: "a date and time (ISO 8601)",
  text: "text",
};

export function describeType(type: ColumnType): string {
  return typeNames[type];
}

/**
 * A filter value or literal as the text of a bound parameter of `type`, or why it cannot be
 * one. Timestamps without an offset mean UTC, whatever the database session's time zone.
 */
export function coerceValue(
  type: ColumnType,
  raw: string | number | boolean,
): { ok: true; text: string } | { ok: false; message: string } {
  const fail = () => ({ ok: false as const, message: `${JSON.stringify(raw)} is not ${describeType(type)}.` });
  if (type === "text") return { ok: true, text: String(raw) };
  if (typeof raw === "boolean") return type === "boolean" ? { ok: true, text: String(raw) } : fail();
  if (typeof raw === "number") {
    if (!Number.isFinite(raw)) return fail();
    if (type === "integer") return Number.isSafeInteger(raw) ? { ok: true, text: String(raw) } : fail();
    return type === "number" ? { ok: true, text: String(raw) } : fail();
  }
  if (!isValueOf(type, raw)) return fail();
  if (type === "boolean") return { ok: true, text: TRUE.test(raw.trim()) ? "true" : "false" };
  if (type === "timestamp") {
    const trimmed = raw.trim();
    return { ok: true, text: /(?:[Zz]|[+-]\d{2}(?::?\d{2})?)$/.test(trimmed) ? trimmed : `${trimmed}Z` };
  }
  return { ok: true, text: raw.trim() };
}
