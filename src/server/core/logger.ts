import { type Logger, pino } from "pino";
import type { Config } from "../config.js";

export type { Logger };

/** Structured JSON logs; secrets are redacted wherever they appear in a logged object. */
export function createLogger(config: Pick<Config, "logLevel" | "env">): Logger {
  return pino({
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
