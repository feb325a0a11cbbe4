import { ssoContract } from "./sso.contract.js";

ssoContract("services");
