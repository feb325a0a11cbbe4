import type { VerifiedEmailFeature } from "../../../shared/schemas/account";

const FEATURE_NAMES: Record<VerifiedEmailFeature, string> = { payments: "payments", imports: "data set imports" };

/** "Until then, payments and data set imports are not available." — or nothing when the server requires nothing. */
export function withheldUntilVerified(features: readonly VerifiedEmailFeature[]): string | null {
  if (features.length === 0) return null;
  const names = features.map((f) => FEATURE_NAMES[f]);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `Until then, ${list} ${names.length === 1 ? "is" : "are"} not available.`;
}

/** The token of a verification link: `/verify-email?token=…`. */
export function verificationTokenFrom(search: string): string | null {
  const token = new URLSearchParams(search).get("token");
  return token && token.length >= 20 ? token : null;
}
