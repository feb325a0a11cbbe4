import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGantry } from "../../src/server/app.js";
import { loadConfig } from "../../src/server/config.js";
import { cleanupNamespace } from "../../src/server/testing/cleanup.js";
import { createTestPostgres, testServiceUrls, uniqueName } from "../../src/server/testing/services.js";
import { E2E_ADMIN } from "./accounts.js";
import { dataDirPointer } from "./mail.js";
import { E2E_OIDC } from "./oidc.js";

/**
 * The app under Playwright: `services` runs on the machine's PostgreSQL (a fresh database),
 * Redis and RabbitMQ under a unique namespace; `embedded` runs on bare defaults in a temp
 * folder. Both are removed again when Playwright stops the server (SIGTERM).
 */
const [mode, port] = process.argv.slice(2);
if ((mode !== "services" && mode !== "embedded") || !port) {
  process.stderr.write("usage: tsx e2e/support/server.ts services|embedded PORT\n");
  process.exit(2);
}

const dataDir = await mkdtemp(join(tmpdir(), `gantry-e2e-${mode}-`));
// Journeys read the mails the file mailer writes there (e2e/support/mail.ts).
await writeFile(dataDirPointer(port), dataDir);
const namespace = uniqueName("e2e");
const database = mode === "services" ? await createTestPostgres() : undefined;
// The test database was opened to migrate it; the app opens its own connection.
await database?.handle.close();

// E2E_OIDC=1: a real OpenID Connect provider in this process, and the app configured for it.
// The app's public URL is the address the browser uses, so the provider sends it back there.
const publicUrl = `http://127.0.0.1:${port}`;
const provider =
  process.env.E2E_OIDC === "1"
    ? await (await import("../../src/server/testing/oidc-provider.js")).startTestOidcProvider({
        redirectUris: [`${publicUrl}/auth/sso/callback`],
        accounts: [],
        anyLogin: { emailDomain: E2E_OIDC.emailDomain },
      })
    : undefined;

const config = loadConfig({
  NODE_ENV: "test",
  HOST: "127.0.0.1",
  PORT: port,
  LOG_LEVEL: "warn",
  DATA_DIR: dataDir,
  NAMESPACE: namespace,
  ADMIN_EMAIL: E2E_ADMIN.email,
  ADMIN_PASSWORD: E2E_ADMIN.password,
  RATE_LIMIT_PER_MINUTE: "5000",
  // Passkeys need a domain as RP ID (an IP address never is): the passkey journey opens the app
  // at http://localhost, whatever PUBLIC_URL the single sign-on provider needs.
  WEBAUTHN_RP_ID: "localhost",
  WEBAUTHN_ORIGINS: `http://localhost:${port}`,
  ...(provider
    ? {
        PUBLIC_URL: publicUrl,
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_NAME: E2E_OIDC.name,
      }
    : {}),
  ...(database ? { DATABASE_URL: database.url, REDIS_URL: testServiceUrls.redis, AMQP_URL: testServiceUrls.amqp } : {}),
});
const gantry = await createGantry(config, { http: true, workers: true });
await gantry.listen();

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await gantry.stop().catch(() => {});
  await provider?.close().catch(() => {});
  if (database) {
    await database.drop().catch(() => {});
    await cleanupNamespace(namespace).catch(() => {});
  }
  await rm(dataDir, { recursive: true, force: true });
  await rm(dataDirPointer(port), { force: true });
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
