// What the rest of the client uses of the account feature: the verify-email banner (layout),
// the email and leaving panels (profile page), the email state and actions (admin users table).
export { AdminAccountActions, EmailStateBadge } from "./AdminAccountActions";
export { EmailPanel } from "./EmailPanel";
export { LeavePanel } from "./LeavePanel";
export { VerifyEmailBanner } from "./VerifyEmailBanner";
