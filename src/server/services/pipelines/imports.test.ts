import { importContract } from "./imports.contract.js";

importContract("embedded");
