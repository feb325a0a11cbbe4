import { quotaContract } from "./storage-quotas.contract.js";

quotaContract("embedded");
