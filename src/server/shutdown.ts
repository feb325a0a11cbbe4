import type { Gantry } from "./app.js";

/**
 * SIGTERM / SIGINT: stop accepting, let in-flight requests and jobs finish, close every
 * connection, exit 0. If draining takes longer than SHUTDOWN_TIMEOUT_MS, exit 1 so an
 * orchestrator knows the stop was not clean.
 */
export function installShutdown(gantry: Gantry): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const { logger, config } = gantry.deps;
    logger.info({ signal }, "shutting down: draining requests and jobs");
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, "shutdown timed out; exiting");
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    gantry
      .stop()
      .then(() => {
        logger.info("shutdown complete");
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      });
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
