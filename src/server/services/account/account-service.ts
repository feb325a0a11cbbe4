import type { Readable } from "node:stream";
import type { Caller } from "../../../shared/ownership.js";
import type { VerificationStatus, VerifiedEmailFeature } from "../../../shared/schemas/account.js";
import type { PublicUser } from "../../../shared/schemas/auth.js";
import type { AccountDeletion } from "./account-deletion.js";
import type { AccountExport } from "./account-export.js";
import type { EmailVerification } from "./email-verification.js";

/**
 * The account's life cycle beyond signing in (issue 13): proving the email address, changing
 * it, downloading one's data, and leaving. One use case per file, as auth does.
 */
export class AccountService {
  constructor(
    private readonly uses: { verification: EmailVerification; exporter: AccountExport; deletion: AccountDeletion },
  ) {}

  verificationStatus(caller: Caller): Promise<VerificationStatus> {
    return this.uses.verification.status(caller);
  }

  resendVerification(caller: Caller): Promise<{ sent: boolean }> {
    return this.uses.verification.resend(caller);
  }

  verifyEmail(token: string): Promise<{ verified: true }> {
    return this.uses.verification.verify(token);
  }

  changeEmail(caller: Caller, input: { newEmail: string; password: string }): Promise<PublicUser> {
    return this.uses.verification.changeEmail(caller, input);
  }

  /** REQUIRE_VERIFIED_EMAIL: a typed FORBIDDEN saying how to verify, when the feature needs it. */
  requireVerifiedEmail(caller: Caller, feature: VerifiedEmailFeature): Promise<void> {
    return this.uses.verification.requireVerified(caller, feature);
  }

  exportData(caller: Caller, subjectId: string): Promise<{ fileName: string; body: Readable }> {
    return this.uses.exporter.open(caller, subjectId);
  }

  deleteOwn(caller: Caller, password: string): Promise<{ pseudonym: string }> {
    return this.uses.deletion.deleteOwn(caller, password);
  }

  deleteUser(admin: Caller, userId: string, adminPassword: string): Promise<{ pseudonym: string }> {
    return this.uses.deletion.deleteUser(admin, userId, adminPassword);
  }
}
