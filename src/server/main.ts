import { createGantry } from "./app.js";
import { loadConfig } from "./config.js";
import { exitWithOneLine } from "./exit.js";
import { installShutdown } from "./shutdown.js";

/**
 * `npm start`: the API and, unless RUN_WORKERS=false, the workers in one process.
 * A configuration or connection problem ends start-up with one line naming the variable.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const gantry = await createGantry(config, { http: true, workers: config.runWorkers });
  installShutdown(gantry);
  const address = await gantry.listen();
  gantry.deps.logger.info(
    { address, mode: config.mode, workers: config.runWorkers },
    `Gantry ${config.version} is ready on ${address} (${config.mode} mode)`,
  );
}

main().catch(exitWithOneLine);
