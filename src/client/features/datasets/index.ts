// What other features may use of data sets (decision 0018): where a data set lives, how a cell reads,
// and its chart (which loads the charting library only when drawn).
export { ChartPanel } from "./ChartPanel";

// The home page lists data sets with their status (decision 0019).
export { DatasetStatusBadge } from "./DatasetStatusBadge";
export { datasetPath } from "./datasetLinks";
export { cellText } from "./rowsQuery";
