import { quotaContract } from "./quotas.contract.js";

quotaContract("services");
