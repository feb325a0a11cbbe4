import { ssoContract } from "./sso.contract.js";

ssoContract("embedded");
