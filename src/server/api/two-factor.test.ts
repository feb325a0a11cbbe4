import { twoFactorContract } from "./two-factor.contract.js";

twoFactorContract("embedded");
