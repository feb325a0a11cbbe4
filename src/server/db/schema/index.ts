export * from "./audit.js";
export * from "./events.js";
export * from "./idempotency.js";
export * from "./jobs.js";
export * from "./payments.js";
export * from "./pipelines.js";
export * from "./sessions.js";
export * from "./users.js";
