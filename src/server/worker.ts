import { createGantry } from "./app.js";
import { loadConfig } from "./config.js";
import { exitWithOneLine } from "./exit.js";
import { installShutdown } from "./shutdown.js";

/** `npm run worker`: BullMQ jobs and event consumers without the HTTP API, to scale on its own. */
async function worker(): Promise<void> {
  const config = loadConfig();
  const gantry = await createGantry(config, { http: false, workers: true });
  installShutdown(gantry);
  await gantry.listen();
  gantry.deps.logger.info({ mode: config.mode }, "Gantry workers are running");
}

worker().catch(exitWithOneLine);
