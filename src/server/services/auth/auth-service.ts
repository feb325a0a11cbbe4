import type { AuthResult, SessionInfo } from "../../../shared/schemas/auth.js";
import type { SecondFactorChallenge, TwoFactorEnrolment, TwoFactorStatus } from "../../../shared/schemas/two-factor.js";
import type { EventBus } from "../../core/events/index.js";
import type { RateLimiter } from "../../core/rate-limit.js";
import type { AdminBootstrap } from "./admin-bootstrap.js";
import type { ClientMeta } from "./auth-result.js";
import { type Admission, type CallAdmission, invalidToken } from "./call-admission.js";
import type { PasswordChange } from "./change-password.js";
import type { OwnSessions } from "./own-sessions.js";
import type { PasswordReset } from "./password-reset.js";
import type { SecondFactorSignIn } from "./second-factor-sign-in.js";
import type { SessionCaller, SessionService } from "./sessions.js";
import type { SignIn } from "./sign-in.js";
import { InvalidToken, type TokenService } from "./tokens.js";
import type { TwoFactor } from "./two-factor.js";

const ACCOUNT_EVENTS = [
  "user.logged_out",
  "user.password_changed",
  "user.password_reset",
  "user.profile_updated",
  "user.role_changed",
  "user.disabled",
  "user.email_verified",
  "user.email_changed",
  "account.deleted",
] as const;

/** The use cases, each in its own file, that `module.ts` assembles. */
export interface AuthUseCases {
  signIn: SignIn;
  ownSessions: OwnSessions;
  passwordChange: PasswordChange;
  passwordReset: PasswordReset;
  adminBootstrap: AdminBootstrap;
  twoFactor: TwoFactor;
  secondFactor: SecondFactorSignIn;
  tokens: TokenService;
  sessions: SessionService;
  admission: CallAdmission;
  events: EventBus;
}

/**
 * Sign-up, sign-in, sessions and password life cycle, as the API sees them: one entry point
 * whose methods hand over to one use case each (sign-in.ts, own-sessions.ts,
 * change-password.ts, password-reset.ts, admin-bootstrap.ts), as payments does.
 */
export class AuthService {
  constructor(private readonly uses: AuthUseCases) {}

  signup(input: { email: string; password: string; name: string }, meta: ClientMeta): Promise<AuthResult> {
    return this.uses.signIn.signup(input, meta);
  }

  /** A session, or (two-factor on) a challenge that `completeLogin` finishes with a code. */
  login(input: { email: string; password: string }, meta: ClientMeta): Promise<AuthResult | SecondFactorChallenge> {
    return this.uses.signIn.login(input, meta);
  }

  completeLogin(input: { challenge: string; code: string }, meta: ClientMeta): Promise<AuthResult> {
    return this.uses.secondFactor.complete(input, meta);
  }

  /**
   * Whether the user has a second factor (today an authenticator app; a passkey will count
   * too). REQUIRE_ADMIN_TWO_FACTOR asks only this.
   */
  hasStrongSecondFactor(user: { id: string }): Promise<boolean> {
    return this.uses.twoFactor.hasStrongSecondFactor(user);
  }

  /** REQUIRE_ADMIN_TWO_FACTOR is on and this admin has no second factor yet. */
  mustEnrolForAdmin(caller: SessionCaller): Promise<boolean> {
    return this.uses.twoFactor.mustEnrolForAdmin(caller);
  }

  twoFactorStatus(caller: SessionCaller): Promise<TwoFactorStatus> {
    return this.uses.twoFactor.status(caller);
  }

  beginTwoFactor(caller: SessionCaller): Promise<TwoFactorEnrolment> {
    return this.uses.twoFactor.beginEnrolment(caller);
  }

  confirmTwoFactor(caller: SessionCaller, code: string): Promise<{ recoveryCodes: string[] }> {
    return this.uses.twoFactor.confirmEnrolment(caller, code);
  }

  disableTwoFactor(caller: SessionCaller, input: { password: string; code: string }, ip: string): Promise<void> {
    return this.uses.twoFactor.disable(caller, input, ip);
  }

  /** A fresh device cookie for an account that has just signed in (see `device-cookies.ts`). */
  issueDeviceCookie(userId: string): string {
    return this.uses.signIn.issueDeviceCookie(userId);
  }

  /**
   * Who a call comes from (the session its token names, checked) and whether their budget lets
   * it through: one Redis round trip for both where it can (see `call-admission.ts`).
   */
  admit(token: string | null, ip: string, budget: RateLimiter): Promise<Admission> {
    return this.uses.admission.admit(token, ip, budget);
  }

  /** Verifies a bearer token or cookie value and checks its session. */
  async authenticate(token: string): Promise<SessionCaller> {
    let claims: Awaited<ReturnType<TokenService["verify"]>>;
    try {
      claims = await this.uses.tokens.verify(token);
    } catch (error) {
      if (error instanceof InvalidToken) throw invalidToken();
      throw error;
    }
    return this.uses.sessions.resolve(claims);
  }

  /** Calls `listener` whenever an event concerns this user's account; returns the unsubscribe. */
  onAccountChange(userId: string, listener: () => void): () => void {
    return this.uses.events.listen(ACCOUNT_EVENTS, (envelope) => {
      if (envelope.payload.userId === userId) listener();
    });
  }

  logout(caller: SessionCaller): Promise<void> {
    return this.uses.ownSessions.logout(caller);
  }

  logoutAll(caller: SessionCaller): Promise<number> {
    return this.uses.ownSessions.logoutAll(caller);
  }

  listSessions(caller: SessionCaller): Promise<SessionInfo[]> {
    return this.uses.ownSessions.list(caller);
  }

  revokeSession(caller: SessionCaller, sessionId: string): Promise<void> {
    return this.uses.ownSessions.revoke(caller, sessionId);
  }

  changePassword(
    caller: SessionCaller,
    input: { currentPassword: string; newPassword: string },
    meta: ClientMeta,
  ): Promise<AuthResult> {
    return this.uses.passwordChange.change(caller, input, meta);
  }

  requestPasswordReset(email: string): Promise<void> {
    return this.uses.passwordReset.request(email);
  }

  /** The job behind `requestPasswordReset`. */
  sendPasswordReset(email: string): Promise<void> {
    return this.uses.passwordReset.send(email);
  }

  resetPassword(input: { token: string; newPassword: string }): Promise<void> {
    return this.uses.passwordReset.reset(input);
  }

  /** ADMIN_EMAIL / ADMIN_PASSWORD: create that admin, or promote the existing account. */
  ensureAdmin(email: string, password: string): Promise<void> {
    return this.uses.adminBootstrap.ensure(email, password);
  }
}
