// What other features may use of pipelines (decision 0018): where a pipeline and a run live.
export { newPipelinePath, pipelinePath } from "./pipelineLinks";
// The home page follows active runs live (decision 0019).
export { RunLive } from "./RunLive";
export { runPath } from "./runLinks";
