import { importEdgeCaseContract } from "./dataset-import-edge-cases.contract.js";

importEdgeCaseContract("embedded");
