import { describe, expect, it } from "vitest";
import { userListInput } from "./auth.js";
import { paymentListInput } from "./payments.js";

/** Filter values are checked against what each field holds, naming the filter, before any query. */
describe("list filters", () => {
  const fieldErrors = (input: unknown) => {
    const parsed = paymentListInput.safeParse(input);
    if (parsed.success) return undefined;
    return Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message]));
  };
  const amount = (value: unknown, op = "eq") => fieldErrors({ filter: [{ field: "amount", op, value }] });
  const createdAt = (value: unknown, op = "gte") => fieldErrors({ filter: [{ field: "createdAt", op, value }] });

  it.each([1.5, 1e300, -1e300, "1e300", "1.5", "", "NaN", "Infinity", true, 2 ** 53])(
    "refuses %s as an amount",
    (value) => {
      expect(amount(value)).toEqual({ "filter.0.value": "Enter a whole number" });
    },
  );

  it.each([
    "yesterday-ish",
    "10000-01-01",
    "+275760-09-13T00:00:00Z",
    "-271821-04-20T00:00:00Z",
    8.64e15,
    -8.64e15,
    1e300,
    false,
  ])("refuses %s as a date", (value) => {
    expect(createdAt(value)).toEqual({ "filter.0.value": "Enter a date, e.g. 2026-01-31" });
  });

  it("refuses an enum value, a malformed id and operators that do not apply, naming the filter", () => {
    expect(fieldErrors({ filter: [{ field: "status", op: "eq", value: "emperor" }] })?.["filter.0.value"]).toMatch(
      /^Choose one of: pending/,
    );
    expect(fieldErrors({ filter: [{ field: "ownerId", op: "eq", value: "nope" }] })).toEqual({
      "filter.0.value": "Not a valid id",
    });
    expect(createdAt("2026", "contains")).toEqual({ "filter.0.op": expect.any(String) });
    expect(fieldErrors({ filter: [{ field: "status", op: "gt", value: "pending" }] })).toEqual({
      "filter.0.op": expect.any(String),
    });
    const role = userListInput.safeParse({ filter: [{ field: "role", op: "eq", value: "emperor" }] });
    expect(role.error?.issues[0]?.message).toBe("Choose one of: admin, user, guest");
  });

  it("hands the repository values it can bind: whole numbers, ISO dates", () => {
    const parsed = paymentListInput.parse({
      filter: [
        { field: "amount", op: "gte", value: "1500" },
        { field: "createdAt", op: "lt", value: "2026-01-31" },
        { field: "provider", op: "eq", value: 42 },
      ],
    });
    expect(parsed.filter.map((f) => f.value)).toEqual([1500, "2026-01-31T00:00:00.000Z", "42"]);
  });
});
