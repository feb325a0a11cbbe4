// What other features may use of pipelines (decision 0018): where a pipeline and a run live.
export { newPipelinePath, pipelinePath } from "./pipelineLinks";
export { runPath } from "./runLinks";
