import {
  type Caller,
  canRead,
  canWrite,
  type Owned,
  type OwnedArea,
  type WriteAction,
} from "../../shared/ownership.js";
import { forbidden, notFound } from "./errors.js";

/**
 * The services' side of src/shared/ownership.ts: the same rules, turned into the errors a caller
 * sees. Every service that reads or changes an owned row (payments, data sets, imports,
 * pipelines, runs) goes through these two, and lists through `ownerFilter`; only a refund asks
 * `canWrite` itself, as a payment one may not refund is NOT_FOUND (decision 0007).
 */

/** Someone else's row the caller may not read does not exist, as far as they can tell (NOT_FOUND). */
export function assertCanRead<T extends Owned>(caller: Caller, area: OwnedArea, what: string, row: T | undefined): T {
  if (!row || !canRead(caller, area, row)) throw notFound(what);
  return row;
}

/** Changing needs the permission on one's own row, or its `…:any`; visible but not changeable is FORBIDDEN. */
export function assertCanWrite<T extends Owned>(
  caller: Caller,
  action: WriteAction,
  what: string,
  row: T | undefined,
): T {
  const area = action.slice(0, action.indexOf(":")) as OwnedArea;
  const visible = assertCanRead(caller, area, what, row);
  if (!canWrite(caller, action, visible)) throw forbidden(`You cannot change ${what.toLowerCase()}s of other people.`);
  return visible;
}
