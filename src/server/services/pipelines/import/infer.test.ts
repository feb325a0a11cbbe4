import { describe, expect, it } from "vitest";
import { TypeInference } from "./infer.js";

/** Milliseconds to infer the type of one cell, `reps` times; the best of three rounds. */
function inferenceMs(cell: string, reps: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (let i = 0; i < reps; i++) {
      const inference = new TypeInference(1);
      inference.addText(0, cell);
      inference.types();
    }
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe("type inference of long cells", () => {
  // Digits then a letter: a backtracking number pattern tries every way to split the digits.
  const digits = (n: number) => `${"7".repeat(n)}x`;

  it("is linear in the length of a cell (100 kB costs about 10x 10 kB, not 100x)", () => {
    const small = digits(10_000);
    const large = digits(100_000);
    inferenceMs(small, 20); // warm up
    const ratio = inferenceMs(large, 50) / Math.max(inferenceMs(small, 50), 0.05);
    expect(ratio).toBeLessThan(30);
  });

  it("infers cells longer than any typed value as text", () => {
    for (const cell of [digits(100_000), "7".repeat(100_000), `2024-01-01${" ".repeat(100_000)}`]) {
      const inference = new TypeInference(1);
      inference.addText(0, cell);
      expect(inference.types()).toEqual(["text"]);
    }
    const inference = new TypeInference(2);
    inference.addText(0, " 42 ");
    inference.addText(1, "2024-01-05 10:00 +02:00");
    expect(inference.types()).toEqual(["integer", "timestamp"]);
  });
});
