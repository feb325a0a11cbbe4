import { joinContract } from "./join.contract.js";

joinContract("embedded");
