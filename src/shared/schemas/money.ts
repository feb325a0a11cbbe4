import { z } from "zod";
import { currencyCodes } from "../money.js";

// Kept apart from ../money.ts so the browser can format money without loading zod.

/** Accepts "usd" as well as "USD"; anything outside the table is refused by name. */
export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.enum(currencyCodes, { message: "Unsupported currency" }));

/** A positive whole number of minor units (cents, yen, fils). Limits per deployment are checked on the server. */
export const minorAmountSchema = z
  .number({ message: "Enter the amount as a whole number of minor units" })
  .int("Enter the amount as a whole number of minor units")
  .positive("The amount must be greater than zero")
  .max(Number.MAX_SAFE_INTEGER, "The amount is too large");
