/** Where data sets live in the app and on the server; one place, so links and routes agree. */
export function datasetPath(id: string): string {
  return `/datasets/${encodeURIComponent(id)}`;
}

/** The streamed CSV download (src/server/http/datasets-routes.ts); the session cookie authenticates it. */
export function exportPath(id: string): string {
  return `/api/datasets/${encodeURIComponent(id)}/export.csv`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else in a URL is "not found" without asking the server (which would call it bad input). */
export function isId(text: string | undefined | null): text is string {
  return typeof text === "string" && UUID.test(text);
}

/** "3f2a9c1e…": enough to tell ids apart in a table; the full id goes in the title. */
export function shortId(id: string): string {
  return `${id.slice(0, 8)}…`;
}
