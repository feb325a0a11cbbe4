// What other features may use of administration (decision 0018): how an audit entry's actor reads.
export { describeActor } from "./auditSummary";
