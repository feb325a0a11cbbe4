import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Written into the driver by scripts/patch-postgres.mjs (decision 0010). */
const MARKER = "gantry: postgres.js patch v2 (termination, connection wait)";

/**
 * True when the installed postgres.js carries our patch. Without it a terminated database
 * backend can crash the whole process (an uncaught TypeError inside the driver); an install
 * with `--ignore-scripts` or a copied node_modules would ship that silently.
 */
export function postgresDriverPatched(): boolean {
  try {
    // `postgres` resolves to its CommonJS build (cjs/src/index.js); the app imports src/.
    const root = join(dirname(createRequire(import.meta.url).resolve("postgres")), "..", "..");
    return ["src", "cjs/src"].every((build) =>
      readFileSync(join(root, build, "connection.js"), "utf8").includes(MARKER),
    );
  } catch {
    return false;
  }
}
