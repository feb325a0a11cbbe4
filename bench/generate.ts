import { once } from "node:events";
import { createWriteStream } from "node:fs";

const REGIONS = ["north", "south", "east", "west", "central"];
const CATEGORIES = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"];

/** The columns of the generated file, as a plain typed table declares them. */
export const BENCH_COLUMNS =
  "id bigint, region text, category text, amount double precision, quantity bigint, active boolean, order_date date, note text";

/**
 * Writes a deterministic CSV of `rows` orders: integers, text, decimals, booleans, dates and a
 * quoted text column with commas, so both loaders do real parsing and type conversion.
 */
export async function generateCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  let buffer = "id,region,category,amount,quantity,active,order_date,note\n";
  const day0 = Date.UTC(2023, 0, 1);
  for (let i = 1; i <= rows; i++) {
    const date = new Date(day0 + (i % 730) * 86_400_000).toISOString().slice(0, 10);
    buffer += `${i},${REGIONS[i % 5]},${CATEGORIES[(i * 7) % 8]},${((i * 37) % 100_000) / 100},${i % 50},${i % 3 === 0},${date},"note ${i % 1000}, with a comma"\n`;
    if (buffer.length > 1 << 20) {
      bytes += Buffer.byteLength(buffer);
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  bytes += Buffer.byteLength(buffer);
  out.end(buffer);
  await once(out, "finish");
  return bytes;
}
