import { z } from "zod";

/**
 * Zod's default messages are written for developers ("Too small: expected string to have >=20
 * characters"); these say the same to the person filling in the form. A schema's own message
 * (`.min(1, "Name the data set")`) still wins: this is only the fallback (decision 0024).
 */
type Issue = z.core.$ZodRawIssue;

function characters(count: number | bigint): string {
  return `${count} character${Number(count) === 1 ? "" : "s"}`;
}

export function friendlyMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case "too_small": {
      const minimum = issue.minimum as number | bigint;
      if (issue.origin === "string")
        return Number(minimum) <= 1 ? "Fill this in." : `Use at least ${characters(minimum)}.`;
      if (issue.origin === "array" || issue.origin === "set") return `Add at least ${minimum}.`;
      return `Use ${minimum} or more.`;
    }
    case "too_big": {
      const maximum = issue.maximum as number | bigint;
      if (issue.origin === "string") return `Use at most ${characters(maximum)}.`;
      if (issue.origin === "array" || issue.origin === "set") return `Use at most ${maximum}.`;
      return `Use ${maximum} or less.`;
    }
    case "invalid_type":
      if (issue.input === undefined) return "Fill this in.";
      return issue.expected === "number" || issue.expected === "int"
        ? "Enter a number."
        : "This value is not valid here.";
    case "invalid_format":
      if (issue.format === "email") return "Enter an email address, like name@example.com.";
      if (issue.format === "uuid" || issue.format === "guid")
        return "This id is incomplete or mistyped: copy it again.";
      if (issue.format === "url") return "Enter a web address, like https://example.com.";
      return "This value is not in the expected form.";
    case "invalid_value":
      return issue.values.length <= 8
        ? `Choose one of: ${issue.values.map((value: unknown) => String(value)).join(", ")}.`
        : "Choose one of the offered values.";
    case "unrecognized_keys":
      return `Not expected here: ${issue.keys.join(", ")}.`;
    default:
      return undefined;
  }
}

z.config({ customError: (issue) => friendlyMessage(issue) });

/** "newPassword" -> "New password", "steps.2.count" -> "Step 3 count": a field path in words. */
export function fieldLabel(path: string): string {
  const words = path
    .split(".")
    .map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1) : part.replace(/([a-z])([A-Z])/g, "$1 $2")))
    .join(" ")
    .replace(/\bsteps (\d+)/i, "step $1")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * One field's refusal as a line above a form or in a toast: a message that is a whole sentence
 * (ours: "This reset link is incomplete. …") stands alone; a short one gets the field's name
 * in words ("New password: Use at least 8 characters."), never a raw path like "token:".
 */
export function fieldIssueLine(path: string, message: string): string {
  if (!path || /^[A-Z].{30,}[.!?]$/s.test(message)) return message;
  return `${fieldLabel(path)}: ${message}`;
}
