import { stepContract } from "./steps.contract.js";

stepContract("embedded");
