/**
 * What to do after an import failed, from the server's message (which says what and where):
 * the next step in words, and whether "Skip invalid rows" would get the rest of the file in.
 * Skipping helps when single rows are bad (a value of the wrong type, a row with too few or
 * too many values, a stray line break); it cannot help when the file as a whole is wrong.
 */
export interface ImportAdvice {
  advice: string;
  suggestSkip: boolean;
}

const ROW_PROBLEMS: Array<[RegExp, string]> = [
  [
    /unquoted (newline|carriage return)|line ends? in a different way/i,
    "A line break inside a value must be within quotes, and every line of the file should end the same way (all Windows or all Unix line endings).",
  ],
  [
    /fewer values than the header|more values than the header|the header has \d+|missing data for column|extra data/i,
    "That row has a different number of values than the header: check for a missing or extra separator.",
  ],
  [
    / is not (a|an) |invalid input syntax|out of range/i,
    "That value does not fit its column's type: fix it, or set the column's type with a type hint.",
  ],
  [/the line is empty/i, "Remove the empty line."],
  [/unbalanced quotes|quoted value is never closed|quote left open/i, "Close the quote that is left open."],
];

const FILE_PROBLEMS: Array<[RegExp, string]> = [
  [
    /file is empty|no data rows|header row but no data/i,
    "Choose a file that has a header row and at least one data row.",
  ],
  [
    /not valid .* text|charset|encoding/i,
    "Choose the file's character set (encoding) when uploading, or save the file as UTF-8.",
  ],
  [/more than \d+ columns/i, "Split the file, or drop columns you do not need, before uploading."],
  [/NUL character/i, "Is it really a text file? Export it again as CSV or JSON Lines."],
  [/Type hints name columns/i, "Correct the type hints so they name columns of the file's header."],
  [/No row of the file is valid/i, "Check the first lines: the separator or the header may not be what the file uses."],
];

export function importAdvice(message: string): ImportAdvice {
  for (const [pattern, advice] of FILE_PROBLEMS) {
    if (pattern.test(message)) return { advice, suggestSkip: false };
  }
  for (const [pattern, advice] of ROW_PROBLEMS) {
    if (pattern.test(message)) return { advice, suggestSkip: true };
  }
  // An unknown problem on a numbered line is still about that row.
  if (/\bline \d+/i.test(message)) return { advice: "Fix that line of the file.", suggestSkip: true };
  return { advice: "Check the file and upload it again.", suggestSkip: false };
}

/** The sentence that offers skipping, shown under row-level failures. */
export const SKIP_SUGGESTION =
  "Or upload it again with “Skip invalid rows” ticked: the good rows are imported and each skipped row is listed with its line.";
