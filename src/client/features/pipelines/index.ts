// What other features may use of pipelines (decision 0018): where a pipeline lives.
export { newPipelinePath, pipelinePath } from "./pipelineLinks";
