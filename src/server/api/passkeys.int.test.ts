import { passkeysContract } from "./passkeys.contract.js";

passkeysContract("services");
