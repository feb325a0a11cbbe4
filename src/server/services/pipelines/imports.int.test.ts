import { importContract } from "./imports.contract.js";

importContract("services");
