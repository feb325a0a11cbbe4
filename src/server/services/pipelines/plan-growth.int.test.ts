import { planGrowthContract } from "./plan-growth.contract.js";

planGrowthContract("services");
