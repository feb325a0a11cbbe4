import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import type { Mailer } from "../../core/mail/mailer.js";
import type { JobQueue } from "../../core/queue/port.js";
import type { RateLimiter } from "../../core/rate-limit.js";
import type { Database } from "../../db/database.js";
import { PasskeysRepository } from "../../repositories/passkeys.js";
import { PasswordResetsRepository } from "../../repositories/password-resets.js";
import { SessionsRepository } from "../../repositories/sessions.js";
import { SsoIdentitiesRepository } from "../../repositories/sso-identities.js";
import { TwoFactorChallengesRepository } from "../../repositories/two-factor-challenges.js";
import { TwoFactorCredentialsRepository } from "../../repositories/two-factor-credentials.js";
import { TwoFactorRecoveryCodesRepository } from "../../repositories/two-factor-recovery-codes.js";
import { UsersRepository } from "../../repositories/users.js";
import { WebauthnChallengesRepository } from "../../repositories/webauthn-challenges.js";
import { SecretBox } from "../../utils/secret-box.js";
import { AdminBootstrap } from "./admin-bootstrap.js";
import { AuthService } from "./auth-service.js";
import { CallAdmission } from "./call-admission.js";
import { PasswordChange } from "./change-password.js";
import { DeviceCookies } from "./device-cookies.js";
import type { LiveSessionStore } from "./live-sessions.js";
import { LoginThrottle } from "./login-throttle.js";
import { OidcClient } from "./oidc-client.js";
import { OwnSessions } from "./own-sessions.js";
import { PasskeyService } from "./passkeys.js";
import { PasswordReset } from "./password-reset.js";
import { SecondFactorSignIn } from "./second-factor-sign-in.js";
import { SessionService } from "./sessions.js";
import { SignIn } from "./sign-in.js";
import { SingleSignOn } from "./single-sign-on.js";
import { SsoFlowSeal } from "./sso-flow.js";
import { TokenService } from "./tokens.js";
import { TwoFactor } from "./two-factor.js";

/** Accounts and sessions: the API's entry point, and the sessions other domains revoke through. */
export interface AuthModule {
  auth: AuthService;
  sessions: SessionService;
  /** Passkeys (WebAuthn); `userHasPasskey` tells other factors whether one is there. */
  passkeys: PasskeyService;
  /** Sign-in with an OpenID Connect provider, and the identities linked to accounts. */
  sso: SingleSignOn;
}

/**
 * Builds the auth domain's repositories and use cases. The composition root chooses the
 * adapters (where live session copies are kept, how rate limits are counted) and passes them in.
 */
export function createAuth(options: {
  db: Database;
  events: EventBus;
  mailer: Mailer;
  queue: JobQueue;
  liveSessions: LiveSessionStore;
  /** A named rate limiter, shared by every instance when Redis is there. */
  limiter: (name: string, points: number, durationSeconds: number) => RateLimiter;
  jwtSecret: string;
  /** Encrypts authenticator-app secrets at rest (core/secrets.ts). */
  twoFactorKey: string;
  /** REQUIRE_ADMIN_TWO_FACTOR. */
  requireAdminTwoFactor: boolean;
  publicUrl: string;
  /** The WebAuthn relying party (config `webauthn`). */
  relyingParty: { rpId: string; rpName: string; origins: string[] };
  logger: Logger;
  /** The OpenID Connect provider (OIDC_*), if one is configured. */
  sso?: { issuer: string; clientId: string; clientSecret: string; name: string; timeoutMs: number } | undefined;
}): AuthModule {
  const { db, events, limiter, jwtSecret } = options;
  const users = new UsersRepository();
  const sessionsRepository = new SessionsRepository();
  const sessions = new SessionService(db, sessionsRepository, options.liveSessions, options.logger);
  const tokens = new TokenService(jwtSecret);
  const common = { db, users, sessionsRepository, sessions, events };
  // Second-factor codes face the password limits, counted apart so one cannot use up the other.
  const codeThrottle = LoginThrottle.create((name, points, seconds) => limiter(`2fa-${name}`, points, seconds));
  // Passkeys and single sign-on each check the other before removing what may be the last way in.
  const passkeysRepository = new PasskeysRepository();
  const ssoIdentities = new SsoIdentitiesRepository();
  const passkeys = new PasskeyService({
    ...common,
    tokens,
    passkeys: passkeysRepository,
    ssoIdentities,
    challenges: new WebauthnChallengesRepository(),
    relyingParty: options.relyingParty,
    // Each passkey sign-in spends two points (options, then the answer): 20 sign-ins per 15 minutes per address.
    signInLimiter: limiter("passkey-sign-in", 40, 15 * 60),
    registrationLimiter: limiter("passkey-registration", 20, 60 * 60),
    logger: options.logger,
  });
  const twoFactor = new TwoFactor({
    db,
    users,
    events,
    credentials: new TwoFactorCredentialsRepository(),
    recoveryCodes: new TwoFactorRecoveryCodesRepository(),
    secretBox: new SecretBox(options.twoFactorKey, "gantry two-factor secrets"),
    codeThrottle,
    requireForAdmins: options.requireAdminTwoFactor,
    hasPasskey: (userId) => passkeys.userHasPasskey(userId),
  });
  const secondFactor = new SecondFactorSignIn({
    ...common,
    tokens,
    twoFactor,
    challenges: new TwoFactorChallengesRepository(),
    codeThrottle,
  });
  const auth = new AuthService({
    signIn: new SignIn({
      ...common,
      tokens,
      loginThrottle: LoginThrottle.create(limiter),
      deviceCookies: new DeviceCookies(jwtSecret),
      secondFactor,
    }),
    twoFactor,
    secondFactor,
    ownSessions: new OwnSessions(common),
    passwordChange: new PasswordChange({ ...common, tokens }),
    passwordReset: new PasswordReset({
      ...common,
      resets: new PasswordResetsRepository(),
      mailer: options.mailer,
      queue: options.queue,
      resetRequestsByEmail: limiter("reset-email", 3, 60 * 60),
      publicUrl: options.publicUrl,
    }),
    adminBootstrap: new AdminBootstrap(common),
    tokens,
    sessions,
    admission: new CallAdmission(tokens, sessions),
    events,
  });
  const sso = new SingleSignOn({
    ...common,
    tokens,
    identities: ssoIdentities,
    passkeys: passkeysRepository,
    seal: new SsoFlowSeal(jwtSecret),
    logger: options.logger,
    provider: options.sso && {
      name: options.sso.name,
      client: new OidcClient({ ...options.sso, redirectUri: `${options.publicUrl}/auth/sso/callback` }),
    },
  });
  return { auth, sessions, passkeys, sso };
}
