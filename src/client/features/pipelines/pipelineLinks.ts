/** Where pipelines live in the app; one place, so links and routes agree. */
export function pipelinePath(id: string): string {
  return `/pipelines/${encodeURIComponent(id)}`;
}

/** The builder for a new pipeline, optionally reading `datasetId` from the start. */
export function newPipelinePath(datasetId?: string): string {
  return datasetId ? `/pipelines/new?dataset=${encodeURIComponent(datasetId)}` : "/pipelines/new";
}
