// What other features may use of data sets (decision 0018): where a data set lives, and how a cell reads.
export { datasetPath } from "./datasetLinks";
export { cellText } from "./rowsQuery";
