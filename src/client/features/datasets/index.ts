// What other features may use of data sets (decision 0018): where a data set lives, and how a cell reads.

// The home page lists data sets with their status (decision 0019).
export { DatasetStatusBadge } from "./DatasetStatusBadge";
export { datasetPath } from "./datasetLinks";
export { cellText } from "./rowsQuery";
