import { quotaContract } from "./quotas.contract.js";

quotaContract("embedded");
