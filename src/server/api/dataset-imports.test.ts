import { importContract } from "./dataset-imports.contract.js";

importContract("embedded");
