import type { Config } from "../../config.js";
import type { Cache } from "../../core/cache/index.js";
import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import type { Mailer } from "../../core/mail/mailer.js";
import type { JobHandlers, JobQueue } from "../../core/queue/port.js";
import type { RateLimiter } from "../../core/rate-limit.js";
import type { Database } from "../../db/database.js";
import { AccountDataRepository } from "../../repositories/account-data.js";
import { EmailVerificationsRepository } from "../../repositories/email-verifications.js";
import { PipelinesRepository } from "../../repositories/pipelines.js";
import { SessionsRepository } from "../../repositories/sessions.js";
import { UsersRepository } from "../../repositories/users.js";
import type { SessionService } from "../auth/sessions.js";
import type { Pipelines } from "../pipelines/module.js";
import { AccountDeletion } from "./account-deletion.js";
import { AccountExport } from "./account-export.js";
import { AccountService } from "./account-service.js";
import { EmailVerification } from "./email-verification.js";

/** The consumer that mails a new account its first verification link. */
export const VERIFICATION_CONSUMER = "email-verification";

export interface AccountModule {
  account: AccountService;
  verification: EmailVerification;
  deletion: AccountDeletion;
}

export function createAccount(options: {
  config: Config;
  db: Database;
  events: EventBus;
  mailer: Mailer;
  queue: JobQueue;
  cache: Cache;
  sessions: SessionService;
  pipelines: Pipelines;
  limiter: (name: string, points: number, durationSeconds: number) => RateLimiter;
  logger: Logger;
}): AccountModule {
  const { config, db, events, cache } = options;
  const users = new UsersRepository();
  const verifications = new EmailVerificationsRepository();
  const accountData = new AccountDataRepository();
  const verification = new EmailVerification({
    db,
    users,
    verifications,
    events,
    mailer: options.mailer,
    queue: options.queue,
    cache,
    // The password reset's limit (services/auth/module.ts: 3 an hour), per account.
    linksByAccount: options.limiter("verify-email", 3, 60 * 60),
    publicUrl: config.publicUrl,
    requiredFor: config.requireVerifiedEmailFor,
  });
  const exporter = new AccountExport({ db, users, accountData, events, limits: config.exports });
  const deletion = new AccountDeletion({
    db,
    users,
    sessionsRepository: new SessionsRepository(),
    sessions: options.sessions,
    verifications,
    accountData,
    pipelinesRepository: new PipelinesRepository(),
    pipelines: options.pipelines,
    events,
    cache,
    logger: options.logger.child({ component: "account" }),
  });
  return { account: new AccountService({ verification, exporter, deletion }), verification, deletion };
}

/** Every process registers it (so its queue exists); only workers consume. */
export function registerAccountConsumers(events: EventBus, module: AccountModule): void {
  events.subscribe(VERIFICATION_CONSUMER, ["user.registered"], (envelope, tx) =>
    module.verification.onRegistered(tx, envelope.payload.userId),
  );
}

export function accountJobHandlers(
  module: AccountModule,
): Pick<JobHandlers, "account.verification-mail" | "account.email-changed-notice" | "account.purge-data"> {
  return {
    "account.verification-mail": async (job) => {
      await module.verification.sendLink(job.data.userId, job.data.reason);
    },
    "account.email-changed-notice": async (job) => {
      await module.verification.sendChangeNotice(job.data.to, job.data.name);
    },
    "account.purge-data": (job) => module.deletion.purge(job.data.userId),
  };
}
