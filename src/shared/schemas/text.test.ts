import { describe, expect, it } from "vitest";
import { text, textProblem } from "./text.js";

describe("text()", () => {
  it.each([
    ["NUL", "a\u0000b"],
    ["an escape", "\u001b[2J"],
    ["DEL", "a\u007f"],
    ["a new line in single-line text", "a\nb"],
    ["a lone high surrogate", "a\uD83D"],
    ["a lone low surrogate", "\uDE00a"],
    ["surrogates in the wrong order", "\uDE00\uD83D"],
  ])("refuses %s", (_what, value) => {
    expect(text().safeParse(value).success).toBe(false);
  });

  it.each([
    ["plain text", "Ann Lee"],
    ["accents and CJK", "Zoë 東京"],
    ["an emoji (a surrogate pair)", "ok 😀"],
    ["the empty string", ""],
  ])("accepts %s", (_what, value) => {
    expect(textProblem(value)).toBeUndefined();
  });

  it("lets multi-line text keep tabs and line breaks, but not NUL", () => {
    expect(text({ multiline: true }).safeParse("a\tb\r\nc").success).toBe(true);
    expect(text({ multiline: true }).safeParse("a\u0000").success).toBe(false);
  });

  it("chains like z.string()", () => {
    const name = text().trim().min(1).max(3);
    expect(name.parse("  ab  ")).toBe("ab");
    expect(name.safeParse("   ").success).toBe(false);
  });
});
