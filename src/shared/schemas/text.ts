import { z } from "zod";
// Every schema is built on these, so this installs the people-worded fallback messages everywhere.
import "./messages.js";

/**
 * Every text field a user fills in goes through `text()`: PostgreSQL refuses NUL and broken
 * UTF-16 (a lone surrogate has no UTF-8 form), and other control characters only make text
 * look different from what it is (terminal escapes in logs, invisible differences in names).
 * Refusing them here gives the user a 400 naming the field instead of a database error.
 */

const TEXT_MESSAGE = "Remove control characters and invalid Unicode";

/** Why `value` is not acceptable text, or undefined. Tab, CR and LF pass only when `multiline`. */
export function textProblem(value: string, multiline = false): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) {
      if (multiline && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
      return TEXT_MESSAGE;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return TEXT_MESSAGE;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return TEXT_MESSAGE;
  }
  return undefined;
}

/** A single-line string that can be stored as typed; chain `.trim().min().max()` as usual. */
export function text(options: { multiline?: boolean } = {}) {
  const multiline = options.multiline ?? false;
  return z.string().refine((value) => textProblem(value, multiline) === undefined, TEXT_MESSAGE);
}
