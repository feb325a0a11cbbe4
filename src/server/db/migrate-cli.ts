import { loadConfig } from "../config.js";
import { exitWithOneLine } from "../exit.js";
import { openDatabase, pgliteDirFor } from "./client.js";
import { runMigrations } from "./migrate.js";

/** `npm run db:migrate`: applies the committed migrations to the configured database. */
async function migrate(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, pgliteDir: pgliteDirFor(config.dataDir) });
  try {
    await runMigrations(database);
    process.stdout.write(`migrations applied (${database.kind})\n`);
  } finally {
    await database.close();
  }
}

migrate().catch(exitWithOneLine);
