import QRCode from "qrcode";
import type { TwoFactorEnrolment, TwoFactorStatus } from "../../../shared/schemas/two-factor.js";
import type { EventBus } from "../../core/events/index.js";
import type { Database, Executor } from "../../db/database.js";
import type {
  TwoFactorCredentialRow,
  TwoFactorCredentialsRepository,
} from "../../repositories/two-factor-credentials.js";
import type { TwoFactorRecoveryCodesRepository } from "../../repositories/two-factor-recovery-codes.js";
import type { UsersRepository } from "../../repositories/users.js";
import { verifyPassword } from "../../utils/crypto.js";
import type { SecretBox } from "../../utils/secret-box.js";
import { badInput, DomainError, tooManyAttempts, unauthorized } from "../errors.js";
import { userActor } from "./auth-result.js";
import type { LoginThrottle } from "./login-throttle.js";
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from "./recovery-codes.js";
import type { SessionCaller } from "./sessions.js";
import { acceptedStep, newTotpSecret, otpauthUri, TOTP_CODE } from "./totp.js";

/** What an app shows next to the codes. */
const ISSUER = "Gantry";
export const WRONG_SECOND_FACTOR_CODE =
  "That code is not right. Use the current code from your app, or a recovery code.";

/** A code that passed its check, to be spent inside the transaction that relies on it. */
export type AcceptedCode = { kind: "totp"; step: number } | { kind: "recovery"; codeHash: string };

export interface TwoFactorDeps {
  db: Database;
  users: UsersRepository;
  credentials: TwoFactorCredentialsRepository;
  recoveryCodes: TwoFactorRecoveryCodesRepository;
  events: EventBus;
  /** Encrypts the TOTP secrets at rest (the two-factor key of core/secrets.ts). */
  secretBox: SecretBox;
  /** Second-factor codes count like passwords: see `login-throttle.ts`. */
  codeThrottle: LoginThrottle;
  /** REQUIRE_ADMIN_TWO_FACTOR. */
  requireForAdmins: boolean;
  /** A registered passkey is a strong factor too (passkeys.ts). */
  hasPasskey: (userId: string) => Promise<boolean>;
}

/**
 * Two-factor authentication with an authenticator app (TOTP, RFC 6238): enrol with a QR code
 * or a typed key, confirm with a code (which turns it on and hands out ten recovery codes, shown
 * once), and turn it off with the password and a code. A code of a 30-second step is accepted
 * once: the last step used is stored, and only later steps pass. Sign-in's use of it is in
 * `second-factor-sign-in.ts`.
 */
export class TwoFactor {
  constructor(private readonly deps: TwoFactorDeps) {}

  /**
   * Whether the user has a second factor that a password alone cannot stand in for: a
   * confirmed authenticator app or a registered passkey. The admin rule
   * (REQUIRE_ADMIN_TWO_FACTOR) asks only this.
   */
  async hasStrongSecondFactor(user: { id: string }): Promise<boolean> {
    return (await this.isEnabled(user.id)) || (await this.deps.hasPasskey(user.id));
  }

  /** Whether a password sign-in must be completed with a code. */
  async isEnabled(userId: string, db: Executor = this.deps.db): Promise<boolean> {
    const credential = await this.deps.credentials.findByUser(db, userId);
    return Boolean(credential?.confirmedAt);
  }

  /** Whether REQUIRE_ADMIN_TWO_FACTOR keeps this caller from admin procedures until they enrol. */
  async mustEnrolForAdmin(caller: Pick<SessionCaller, "id" | "role">): Promise<boolean> {
    if (!this.deps.requireForAdmins || caller.role !== "admin") return false;
    return !(await this.hasStrongSecondFactor(caller));
  }

  async status(caller: SessionCaller): Promise<TwoFactorStatus> {
    const { db, recoveryCodes } = this.deps;
    const enabled = await this.isEnabled(caller.id);
    return {
      enabled,
      recoveryCodesLeft: enabled ? await recoveryCodes.countUnused(db, caller.id) : 0,
      required: this.deps.requireForAdmins && caller.role === "admin",
    };
  }

  /**
   * A new secret for the caller's app, kept (encrypted) as a pending enrolment until a code
   * confirms it. Starting again replaces a pending secret; a confirmed one stays.
   */
  async beginEnrolment(caller: SessionCaller): Promise<TwoFactorEnrolment> {
    const { db, users, credentials, secretBox } = this.deps;
    const user = await users.findById(db, caller.id);
    if (!user) throw unauthorized();
    const secret = newTotpSecret();
    if (!(await credentials.startEnrolment(db, user.id, secretBox.seal(secret)))) {
      throw new DomainError(
        "CONFLICT",
        "Two-factor authentication is already on. Turn it off first to set it up again.",
      );
    }
    const uri = otpauthUri(secret, user.email, ISSUER);
    const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
    return {
      manualKey: secret.match(/.{1,4}/g)?.join(" ") ?? secret,
      otpauthUri: uri,
      qrCodeDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
    };
  }

  /** The first code from the app turns two-factor on; the ten recovery codes are returned once. */
  async confirmEnrolment(caller: SessionCaller, code: string): Promise<{ recoveryCodes: string[] }> {
    const { db, credentials, recoveryCodes, events } = this.deps;
    const credential = await credentials.findByUser(db, caller.id);
    if (!credential) throw badInput("code", "Start setting up two-factor authentication first");
    if (credential.confirmedAt) throw new DomainError("CONFLICT", "Two-factor authentication is already on.");
    const now = new Date();
    const step = acceptedStep(this.secretOf(credential), code, now.getTime(), credential.lastUsedStep);
    if (step === null)
      throw badInput("code", "That code is not right. Check your app's clock and try the current code");
    const codes = newRecoveryCodes();
    const confirmed = await db.transaction(async (tx) => {
      if (!(await credentials.spendStep(tx, caller.id, step, { confirm: now }))) return false;
      await recoveryCodes.replaceForUser(tx, caller.id, codes.map(hashRecoveryCode));
      await events.publish(tx, "auth.two_factor_enabled", { userId: caller.id }, userActor(caller.id));
      return true;
    });
    if (!confirmed) throw new DomainError("CONFLICT", "Two-factor authentication was turned on by another request.");
    return { recoveryCodes: codes };
  }

  /**
   * Turns two-factor off: needs the password and a code (app or recovery), limited like a
   * sign-in, since this procedure would otherwise let a stolen session guess the password.
   */
  async disable(caller: SessionCaller, input: { password: string; code: string }, ip: string): Promise<void> {
    const { db, users, credentials, recoveryCodes, events } = this.deps;
    const user = await users.findById(db, caller.id);
    if (!user) throw unauthorized();
    if (!(await this.isEnabled(user.id))) throw new DomainError("CONFLICT", "Two-factor authentication is not on.");
    const admission = await this.deps.codeThrottle.admit({ email: user.email, address: ip });
    if (!admission.allowed) throw tooManyAttempts(admission.retryAfterMs);
    // An account opened by single sign-on has no password until it sets one through a reset.
    if (user.passwordHash === null || !(await verifyPassword(user.passwordHash, input.password))) {
      throw badInput("password", "Your password is not correct");
    }
    const now = new Date();
    const accepted = await this.check(user.id, input.code, now);
    const disabled =
      accepted &&
      (await db.transaction(async (tx) => {
        if (!(await this.spend(tx, user.id, accepted, now))) return false;
        await credentials.deleteForUser(tx, user.id);
        await recoveryCodes.deleteForUser(tx, user.id);
        await events.publish(tx, "auth.two_factor_disabled", { userId: user.id }, userActor(user.id));
        return true;
      }));
    if (!disabled) throw badInput("code", WRONG_SECOND_FACTOR_CODE);
    await admission.succeeded();
  }

  /**
   * Checks a typed code against the user's app or the form of a recovery code, without using
   * it up: `spend` does that inside the caller's transaction, atomically, so two requests with
   * one code cannot both pass.
   */
  async check(userId: string, code: string, now: Date): Promise<AcceptedCode | undefined> {
    if (TOTP_CODE.test(code)) {
      const credential = await this.deps.credentials.findByUser(this.deps.db, userId);
      if (!credential?.confirmedAt) return undefined;
      const step = acceptedStep(this.secretOf(credential), code, now.getTime(), credential.lastUsedStep);
      return step === null ? undefined : { kind: "totp", step };
    }
    return looksLikeRecoveryCode(code) ? { kind: "recovery", codeHash: hashRecoveryCode(code) } : undefined;
  }

  /** Uses the code up; false when another request already did (or a recovery code is unknown). */
  async spend(tx: Executor, userId: string, accepted: AcceptedCode, now: Date): Promise<boolean> {
    if (accepted.kind === "totp") return this.deps.credentials.spendStep(tx, userId, accepted.step);
    if (!(await this.deps.recoveryCodes.consume(tx, userId, accepted.codeHash, now))) return false;
    const remaining = await this.deps.recoveryCodes.countUnused(tx, userId);
    await this.deps.events.publish(tx, "auth.two_factor_recovery_code_used", { userId, remaining }, userActor(userId));
    return true;
  }

  private secretOf(credential: TwoFactorCredentialRow): string {
    return this.deps.secretBox.open(credential.secretCiphertext);
  }
}
