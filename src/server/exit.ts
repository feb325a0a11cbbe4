import { ConfigError } from "./config.js";
import { StartupError } from "./utils/startup-error.js";

/** Start-up failures end with one line on stderr, never a stack trace. */
export function exitWithOneLine(error: unknown): never {
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`gantry: ${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`gantry: start-up failed: ${message.split("\n")[0]}\n`);
  }
  process.exit(1);
}
