/** A run's own page; one place, so links and the route agree. */
export function runPath(id: string): string {
  return `/pipelines/runs/${encodeURIComponent(id)}`;
}
