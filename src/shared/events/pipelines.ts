/** Data set and pipeline run events. */
export const pipelineEvents = {} as const;
