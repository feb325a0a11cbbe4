import { type DestinationStream, type Logger, pino } from "pino";
import type { Config } from "../config.js";

export type { Logger };

/** Structured JSON logs; secrets are redacted wherever they appear in a logged object. */
export function createLogger(config: Pick<Config, "logLevel" | "env">, destination?: DestinationStream): Logger {
  // A person at a terminal in development reads lines, not JSON; everywhere else stays JSON.
  const pretty = !destination && config.env === "development" && process.stdout.isTTY === true;
  const options: pino.LoggerOptions = {
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
        "*.headers.authorization",
        "*.headers.cookie",
        'headers["set-cookie"]',
        'res.headers["set-cookie"]',
        "connectionParams",
        "*.connectionParams",
      ],
      censor: "[redacted]",
    },
  };
  // Tests pass a destination to read what would be logged.
  return destination ? pino(options, destination) : pino(options);
}
