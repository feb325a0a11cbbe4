export * from "./audit.js";
export * from "./events.js";
export * from "./sessions.js";
export * from "./users.js";
