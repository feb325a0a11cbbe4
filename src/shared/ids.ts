/** Every id Gantry hands out is a UUID; one pattern for the server's checks and the client's links. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Anything else (in a URL, in a provider's metadata) is "not found" without asking the database. */
export function isUuid(text: string | undefined | null): text is string {
  return typeof text === "string" && UUID.test(text);
}

/** "3f2a9c1e…": enough to tell ids apart in a table; the full id goes in the title. */
export function shortId(id: string): string {
  return `${id.slice(0, 8)}…`;
}
