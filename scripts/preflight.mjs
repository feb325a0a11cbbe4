// Makes sure the services the tests need are there: starts a local service that is
// installed but stopped, installs Debian's chromium when missing (as root), and otherwise
// says exactly what is missing.
import { execSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { connect } from "node:net";

const isRoot = process.getuid?.() === 0;

const services = [
  {
    name: "PostgreSQL",
    port: 5432,
    binary: "/usr/bin/pg_ctlcluster",
    start: () => {
      const version = readdirSync("/etc/postgresql")[0];
      return `pg_ctlcluster --skip-systemctl-redirect ${version} main start`;
    },
  },
  {
    name: "Redis",
    port: 6379,
    binary: "/usr/bin/redis-server",
    start: () =>
      'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
  },
  { name: "RabbitMQ", port: 5672, binary: "/usr/sbin/rabbitmq-server", start: () => "rabbitmq-server -detached" },
];

function reachable(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function waitFor(port, seconds) {
  for (let i = 0; i < seconds * 2; i += 1) {
    if (await reachable(port)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

export async function ensureServices() {
  // Only the default local services are managed here; custom TEST_*_URL targets are the caller's.
  for (const service of services) {
    if (await reachable(service.port)) continue;
    if (!existsSync(service.binary)) {
      return {
        ok: false,
        message: `${service.name} is not installed and nothing listens on 127.0.0.1:${service.port}.`,
      };
    }
    console.log(`▶ starting ${service.name} (${service.start()})`);
    try {
      execSync(service.start(), { stdio: "inherit" });
    } catch {
      return { ok: false, message: `${service.name} is installed but would not start: run \`${service.start()}\`.` };
    }
    if (!(await waitFor(service.port, 60))) {
      return {
        ok: false,
        message: `${service.name} did not start listening on 127.0.0.1:${service.port} within 60 s.`,
      };
    }
  }
  if (!existsSync("/usr/bin/chromium")) {
    if (!isRoot) {
      return {
        ok: false,
        message: "Chromium is missing: install Debian's `chromium` package (apt-get install -y chromium).",
      };
    }
    console.log("▶ installing Debian's chromium for the browser tests");
    const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    const install = spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (update.status !== 0 || install.status !== 0 || !existsSync("/usr/bin/chromium")) {
      return { ok: false, message: "Installing chromium failed: run `apt-get update && apt-get install -y chromium`." };
    }
  }
  return { ok: true };
}
