import { importEdgeCaseContract } from "./import-edge-cases.contract.js";

importEdgeCaseContract("embedded");
