import { accountLifecycleContract } from "./account-lifecycle.contract.js";

accountLifecycleContract("services");
