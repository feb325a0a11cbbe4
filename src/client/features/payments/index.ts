// What other features may use of payments (decision 0018): where a payment lives.
export { paymentPath } from "./paymentLinks";
