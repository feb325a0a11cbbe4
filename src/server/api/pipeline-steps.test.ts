import { stepContract } from "./pipeline-steps.contract.js";

stepContract("embedded");
