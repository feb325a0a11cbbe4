import { median } from "../report.js";

/**
 * Runs A then B, `rounds` times, and returns the median of each: alternating spreads the
 * machine's drift (other work on the shared cores, thermal state) over both sides.
 */
export async function alternate<T>(
  rounds: number,
  a: () => Promise<T>,
  b: () => Promise<T>,
  pick: (result: T) => number,
): Promise<{ a: number; b: number; all: { a: number[]; b: number[] } }> {
  const as: number[] = [];
  const bs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    as.push(pick(await a()));
    bs.push(pick(await b()));
  }
  return { a: median(as), b: median(bs), all: { a: as, b: bs } };
}

export function log(message: string): void {
  process.stderr.write(`· ${message}\n`);
}
