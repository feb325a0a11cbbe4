import type { SsoFailureReason } from "../../../shared/sso.js";

/**
 * Why a single sign-on did not happen, as a reason the person is shown a sentence for
 * (`shared/sso.ts`); the HTTP layer turns it into a redirect to the sign-in page, never a 500.
 */
export class SsoFailure extends Error {
  override name = "SsoFailure";

  constructor(
    readonly reason: SsoFailureReason,
    /** What operators read in the log; never shown to the person. */
    detail?: string,
    options?: { cause?: unknown; userId?: string },
  ) {
    super(detail ?? reason, options?.cause === undefined ? undefined : { cause: options.cause });
    this.userId = options?.userId;
  }

  /** The account concerned, when one is known (for the audit log). */
  readonly userId: string | undefined;
}
