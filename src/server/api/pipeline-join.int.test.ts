import { joinContract } from "./pipeline-join.contract.js";

joinContract("services");
