// What other features may use of payments (decision 0018): where a payment lives.

// The home page lists payments with their status (decision 0019).
export { PaymentStatusBadge } from "./PaymentStatusBadge";
export { paymentPath } from "./paymentLinks";
