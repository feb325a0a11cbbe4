/** Where data sets live in the app and on the server; one place, so links and routes agree. */
export function datasetPath(id: string): string {
  return `/datasets/${encodeURIComponent(id)}`;
}

/** The streamed CSV download (src/server/http/datasets-routes.ts); the session cookie authenticates it. */
export function exportPath(id: string): string {
  return `/api/datasets/${encodeURIComponent(id)}/export.csv`;
}
