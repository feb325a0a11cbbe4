import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import type { Mailer } from "../../core/mail/mailer.js";
import type { JobQueue } from "../../core/queue/port.js";
import type { RateLimiter } from "../../core/rate-limit.js";
import type { Database } from "../../db/database.js";
import { PasswordResetsRepository } from "../../repositories/password-resets.js";
import { SessionsRepository } from "../../repositories/sessions.js";
import { UsersRepository } from "../../repositories/users.js";
import { AdminBootstrap } from "./admin-bootstrap.js";
import { AuthService } from "./auth-service.js";
import { CallAdmission } from "./call-admission.js";
import { PasswordChange } from "./change-password.js";
import { DeviceCookies } from "./device-cookies.js";
import type { LiveSessionStore } from "./live-sessions.js";
import { LoginThrottle } from "./login-throttle.js";
import { OwnSessions } from "./own-sessions.js";
import { PasswordReset } from "./password-reset.js";
import { SessionService } from "./sessions.js";
import { SignIn } from "./sign-in.js";
import { TokenService } from "./tokens.js";

/** Accounts and sessions: the API's entry point, and the sessions other domains revoke through. */
export interface AuthModule {
  auth: AuthService;
  sessions: SessionService;
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
  publicUrl: string;
  logger: Logger;
}): AuthModule {
  const { db, events, limiter, jwtSecret } = options;
  const users = new UsersRepository();
  const sessionsRepository = new SessionsRepository();
  const sessions = new SessionService(db, sessionsRepository, options.liveSessions, options.logger);
  const tokens = new TokenService(jwtSecret);
  const common = { db, users, sessionsRepository, sessions, events };
  const auth = new AuthService({
    signIn: new SignIn({
      ...common,
      tokens,
      loginThrottle: LoginThrottle.create(limiter),
      deviceCookies: new DeviceCookies(jwtSecret),
    }),
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
  return { auth, sessions };
}
