import { describe, expect, it } from "vitest";
import { columnReference, columnSuggestions, insertColumn, wordAtCursor } from "./expressionCompletion";

const columns = ["amount", "amount_tax", "city", "unit price"];

describe("column completion in expressions", () => {
  it("finds the word being typed and the columns it could be", () => {
    const text = "round(amo";
    const word = wordAtCursor(text, text.length);
    expect(word).toEqual({ start: 6, end: 9, prefix: "amo" });
    expect(columnSuggestions(columns, word)).toEqual(["amount", "amount_tax"]);
  });

  it("puts the chosen column in place of the partial word", () => {
    const text = "round(amo * 2";
    const word = wordAtCursor(text, 9);
    if (!word) throw new Error("a word is being typed");
    expect(insertColumn(text, word, "amount")).toEqual({ text: "round(amount * 2", cursor: 12 });
  });

  it("quotes names that are not plain identifiers, inside an open quote too", () => {
    expect(columnReference("unit price")).toBe('"unit price"');
    const text = 'qty * "unit p';
    const word = wordAtCursor(text, text.length);
    expect(word?.prefix).toBe("unit p");
    expect(columnSuggestions(columns, word)).toEqual(["unit price"]);
    if (word) expect(insertColumn(text, word, "unit price").text).toBe('qty * "unit price"');
  });

  it("offers nothing after a number, an operator or a finished name", () => {
    expect(wordAtCursor("12", 2)).toBeNull();
    expect(wordAtCursor("amount * ", 9)).toBeNull();
    expect(columnSuggestions(columns, wordAtCursor("city", 4))).toEqual([]);
  });
});
