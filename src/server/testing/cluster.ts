import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanupNamespace } from "./cleanup.js";
import { freePort, type GantryProcess, startApi, startWorker, type TrpcHttp, trpcHttp } from "./processes.js";
import { createTestPostgres, testServiceUrls, uniqueName } from "./services.js";

/**
 * A deployment in miniature for fault tests and the soak: API and worker processes sharing one
 * fresh database, one namespace on Redis and RabbitMQ, one data directory. `services` can point
 * any of them at a TcpProxy. `close()` stops every process and removes what they left.
 */
export interface Cluster {
  env: Record<string, string>;
  databaseUrl: string;
  admin: { email: string; password: string };
  apis: Array<{ process: GantryProcess; url: string; http: TrpcHttp }>;
  workers: GantryProcess[];
  /** Every process's output, for a failure message. */
  output(): string;
  addApi(name?: string): Promise<{ process: GantryProcess; url: string; http: TrpcHttp }>;
  addWorker(name?: string): Promise<GantryProcess>;
  close(): Promise<void>;
}

export async function startCluster(
  options: {
    apis?: number;
    workers?: number;
    services?: Partial<typeof testServiceUrls>;
    env?: Record<string, string>;
  } = {},
): Promise<Cluster> {
  const database = await createTestPostgres();
  await database.handle.close();
  const namespace = uniqueName("cluster");
  const dataDir = await mkdtemp(join(tmpdir(), "gantry-cluster-"));
  const admin = { email: "admin@cluster.test", password: "cluster admin passphrase" };
  const services = { ...testServiceUrls, ...options.services };
  const databaseUrl = new URL(database.url);
  if (options.services?.postgresAdmin) {
    // Same database, reached through the given host and port (a proxy).
    const via = new URL(options.services.postgresAdmin);
    databaseUrl.host = via.host;
  }
  const env: Record<string, string> = {
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: services.redis,
    AMQP_URL: services.amqp,
    NAMESPACE: namespace,
    DATA_DIR: dataDir,
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    // A killed worker's job goes to another worker after a second, not thirty.
    QUEUE_LOCK_MS: "1000",
    SANDBOX_SETTLE_DELAY_MS: "30",
    RATE_LIMIT_PER_MINUTE: "100000",
    ...options.env,
  };
  const cluster: Cluster = {
    env,
    databaseUrl: database.url,
    admin,
    apis: [],
    workers: [],
    output: () =>
      [...cluster.apis.map((a) => a.process), ...cluster.workers]
        .map((p) => `--- ${p.name} said:\n${p.output()}`)
        .join("\n"),
    async addApi(name = `api${cluster.apis.length + 1}`) {
      const port = await freePort();
      const process = await startApi(name, port, env);
      const url = `http://127.0.0.1:${port}`;
      const api = { process, url, http: trpcHttp(url) };
      cluster.apis.push(api);
      return api;
    },
    async addWorker(name = `worker${cluster.workers.length + 1}`) {
      const worker = await startWorker(name, env);
      cluster.workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all([...cluster.apis.map((a) => a.process), ...cluster.workers].map((p) => p.stop("SIGKILL")));
      await database.drop().catch(() => {});
      await cleanupNamespace(namespace).catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  try {
    // Every process starts side by side: each takes seconds to boot (the admin is created once
    // however many start together).
    await Promise.all([
      ...Array.from({ length: options.apis ?? 1 }, (_, i) => cluster.addApi(`api${i + 1}`)),
      ...Array.from({ length: options.workers ?? 1 }, (_, i) => cluster.addWorker(`worker${i + 1}`)),
    ]);
    // Processes list in name order, whichever was ready first.
    cluster.apis.sort((x, y) => x.process.name.localeCompare(y.process.name));
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}
