import { type Logger, pino } from "pino";
import type { Config } from "../config.js";

export type { Logger };

/** Structured JSON logs; secrets are redacted wherever they appear in a logged object. */
export function createLogger(config: Pick<Config, "logLevel" | "env">): Logger {
  // A person at a terminal in development reads lines, not JSON; everywhere else stays JSON.
  const pretty = config.env === "development" && process.stdout.isTTY === true;
  return pino({
    ...(pretty
      ? {
          transport: {
            target: "pino-pretty",
            options: { translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,service" },
          },
        }
      : {}),
    level: config.logLevel,
    base: { service: "gantry" },
    redact: {
      paths: [
        "password",
        "*.password",
        "*.*.password",
        "token",
        "*.token",
        "headers.authorization",
        "headers.cookie",
        "req.headers.authorization",
        "req.headers.cookie",
      ],
      censor: "[redacted]",
    },
  });
}
