import type { AuthResult } from "../../../shared/schemas/auth.js";
import { signupInput } from "../../../shared/schemas/auth.js";
import type { EventBus } from "../../core/events/index.js";
import type { Logger } from "../../core/logger.js";
import type { Database, Executor } from "../../db/database.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { PasskeysRepository } from "../../repositories/passkeys.js";
import type { SsoIdentitiesRepository } from "../../repositories/sso-identities.js";
import type { UserRow, UsersRepository } from "../../repositories/users.js";
import { constantTimeEqual } from "../../utils/crypto.js";
import { DomainError, notFound } from "../errors.js";
import { anonymous, authResult, type ClientMeta, userActor } from "./auth-result.js";
import type { OidcClient } from "./oidc-client.js";
import type { SessionCaller, SessionService } from "./sessions.js";
import { SsoFailure } from "./sso-failure.js";
import { landingPath, SSO_FLOW_TTL_MS, type SsoFlow, type SsoFlowSeal } from "./sso-flow.js";
import type { TokenService } from "./tokens.js";

export interface SingleSignOnDeps {
  db: Database;
  users: UsersRepository;
  identities: SsoIdentitiesRepository;
  /** A passkey is a way in too: the last identity may go if one is registered. */
  passkeys: PasskeysRepository;
  sessions: SessionService;
  tokens: TokenService;
  events: EventBus;
  seal: SsoFlowSeal;
  logger: Logger;
  /** The configured provider; undefined when OIDC_* are not set (no SSO button). */
  provider: { client: OidcClient; name: string } | undefined;
}

/** What a callback did: opened a session (login) or attached the identity to the caller (link). */
export type SsoOutcome = { intent: "login"; result: AuthResult; next: string } | { intent: "link"; next: string };

export interface SsoIdentityInfo {
  id: string;
  issuer: string;
  email: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Where the profile shows linking from: the provider, the caller's identities, and whether they keep a password. */
export interface SsoAccountView {
  provider: { name: string; issuer: string } | null;
  identities: SsoIdentityInfo[];
  hasPassword: boolean;
}

/**
 * Single sign-on with one OpenID Connect provider. Identities are keyed by (issuer, subject),
 * never by email: an unknown identity opens a new account only if no account has its email;
 * an existing account is joined to an identity only by its signed-in owner, from the profile
 * (a "link" flow bound to that session). Sessions are opened exactly as a password sign-in
 * opens them (same table, same token, same cookie), with `method: "sso"` on `user.logged_in`.
 */
export class SingleSignOn {
  constructor(private readonly deps: SingleSignOnDeps) {}

  /** The provider's label for the sign-in button, or null when SSO is off. */
  get providerName(): string | null {
    return this.deps.provider?.name ?? null;
  }

  /**
   * Starts a flow: the provider's authorization URL to send the browser to, and the sealed
   * flow for the cookie that must come back with the callback. A link names the session that
   * asked, so only that session can complete it.
   */
  async begin(
    request: { intent: "login"; next?: string | undefined } | { intent: "link"; caller: SessionCaller },
    now = new Date(),
  ): Promise<{ url: string; flowCookie: string }> {
    const provider = this.configured();
    const { url, checks } = await provider.client.authorizationRequest();
    const flow: SsoFlow = {
      ...checks,
      intent: request.intent,
      next: request.intent === "login" ? landingPath(request.next) : "/profile",
      sessionId: request.intent === "link" ? request.caller.sessionId : undefined,
      userId: request.intent === "link" ? request.caller.id : undefined,
      expiresAt: now.getTime() + SSO_FLOW_TTL_MS,
    };
    return { url, flowCookie: this.deps.seal.seal(flow) };
  }

  /**
   * The callback: checks that this browser started this flow (the sealed cookie's state equals
   * the URL's) and, for a link, that the same session is still signed in; then lets
   * openid-client exchange the code (PKCE) and verify the ID token (signature, iss, aud, nonce).
   * A failure is an SsoFailure whose reason the person is shown, and an `auth.sso_failed` event.
   */
  async complete(input: {
    callbackUrl: URL;
    flowCookie: string | undefined;
    /** Whoever the request's session cookie names, if anyone. */
    caller: SessionCaller | undefined;
    meta: ClientMeta;
    now?: Date;
  }): Promise<SsoOutcome> {
    const now = input.now ?? new Date();
    const flow = this.deps.seal.open(input.flowCookie);
    try {
      const provider = this.configured();
      if (!flow || !constantTimeEqual(input.callbackUrl.searchParams.get("state") ?? "", flow.state)) {
        throw new SsoFailure("bad_state", flow ? "state differs from the flow's" : "no genuine flow cookie");
      }
      if (flow.expiresAt < now.getTime()) throw new SsoFailure("expired");
      if (flow.intent === "link") {
        const caller = input.caller;
        if (!caller || caller.sessionId !== flow.sessionId || caller.id !== flow.userId) {
          throw new SsoFailure("session_mismatch");
        }
        const identity = await provider.client.exchange(input.callbackUrl, flow);
        await this.link(caller.id, identity, now);
        return { intent: "link", next: flow.next };
      }
      const identity = await provider.client.exchange(input.callbackUrl, flow);
      const result = await this.signIn(identity, input.meta, now);
      return { intent: "login", result, next: flow.next };
    } catch (error) {
      if (error instanceof SsoFailure) {
        await this.recordFailure(error, flow?.intent === "link" ? flow.userId : undefined);
      }
      throw error;
    }
  }

  /** The caller's linked identities, the configured provider, and whether they keep a password. */
  async account(caller: { id: string }): Promise<SsoAccountView> {
    const { db, users, identities, provider } = this.deps;
    const [user, rows] = await Promise.all([users.findById(db, caller.id), identities.listForUser(db, caller.id)]);
    return {
      provider: provider ? { name: provider.name, issuer: provider.client.issuer } : null,
      identities: rows.map((row) => ({
        id: row.id,
        issuer: row.issuer,
        email: row.email,
        createdAt: row.createdAt,
        lastUsedAt: row.lastUsedAt,
      })),
      hasPassword: Boolean(user?.passwordHash),
    };
  }

  /**
   * Removes one of the caller's identities, only if they can still sign in afterwards (a
   * password, a passkey, or another identity). The account row is locked, so two unlinks at once cannot
   * both leave the account with no way in.
   */
  async unlink(caller: { id: string }, identityId: string): Promise<void> {
    const { db, identities, events } = this.deps;
    await db.transaction(async (tx) => {
      const user = await identities.lockOwner(tx, caller.id);
      if (!user) throw notFound("Account");
      const linked = await identities.listForUser(tx, caller.id);
      const target = linked.find((row) => row.id === identityId);
      if (!target) throw notFound("Linked sign-in");
      const otherWayIn = Boolean(user.passwordHash) || (await this.deps.passkeys.countForUser(tx, caller.id)) > 0;
      if (!otherWayIn && linked.length <= 1) {
        throw new DomainError(
          "CONFLICT",
          "This is your only way to sign in. Set a password first (“Forgot your password?” on the sign-in page), then unlink.",
        );
      }
      await identities.deleteForUser(tx, caller.id, identityId);
      await events.publish(
        tx,
        "auth.sso_unlinked",
        { userId: caller.id, identityId, issuer: target.issuer, subject: target.subject },
        userActor(caller.id),
      );
    });
  }

  private configured(): NonNullable<SingleSignOnDeps["provider"]> {
    if (!this.deps.provider) throw new SsoFailure("not_configured");
    return this.deps.provider;
  }

  /** A known identity signs in as its account; an unknown one opens an account, unless its email is taken. */
  private async signIn(identity: VerifiedIdentity, meta: ClientMeta, now: Date): Promise<AuthResult> {
    const { db, events, sessions } = this.deps;
    const attempt = () =>
      db.transaction(async (tx) => {
        const user = await this.accountFor(tx, identity, now);
        const session = await sessions.create(tx, user, meta, now);
        await events.publish(
          tx,
          "user.logged_in",
          { userId: user.id, sessionId: session.id, method: "sso" },
          userActor(user.id),
        );
        return { user, session };
      });
    // Two first sign-ins racing (same identity, or same email): the unique indexes decide, and
    // the loser's second try finds the winner's row.
    const opened = await attempt().catch((error: unknown) => {
      if (isUniqueViolation(error)) return attempt();
      throw error;
    });
    return authResult(this.deps.tokens, opened.user, opened.session.id, now);
  }

  private async accountFor(tx: Executor, identity: VerifiedIdentity, now: Date): Promise<UserRow> {
    const { users, identities, events } = this.deps;
    const known = await identities.find(tx, identity.issuer, identity.subject);
    if (known) {
      const user = await users.findById(tx, known.userId);
      if (!user) throw new SsoFailure("server_error", "identity without its account");
      if (user.disabledAt) throw new SsoFailure("disabled", undefined, { userId: user.id });
      await identities.update(tx, known.id, { lastUsedAt: now });
      return user;
    }
    const email = signupInput.shape.email.safeParse(identity.email ?? "");
    if (!email.success) throw new SsoFailure("email_missing");
    if (identity.emailVerified === false) throw new SsoFailure("email_unverified");
    // Never joined by email alone: whoever controls this identity has not shown they own that
    // account. Its owner links it from the profile after signing in with their password.
    if (await users.findByEmail(tx, email.data)) throw new SsoFailure("email_in_use");
    const user = await users.insert(tx, {
      email: email.data,
      name: displayName(identity.name, email.data),
      passwordHash: null,
      role: "user",
    });
    const row = await identities.insert(tx, {
      userId: user.id,
      issuer: identity.issuer,
      subject: identity.subject,
      email: email.data,
      lastUsedAt: now,
    });
    await events.publish(tx, "user.registered", { userId: user.id, email: user.email }, userActor(user.id));
    await events.publish(
      tx,
      "auth.sso_linked",
      { userId: user.id, identityId: row.id, issuer: row.issuer, subject: row.subject, via: "signup" },
      userActor(user.id),
    );
    return user;
  }

  private async link(userId: string, identity: VerifiedIdentity, now: Date): Promise<void> {
    const { db, identities, events } = this.deps;
    await db
      .transaction(async (tx) => {
        const known = await identities.find(tx, identity.issuer, identity.subject);
        if (known?.userId === userId) return; // linked already: nothing to do
        if (known) throw new SsoFailure("identity_taken");
        const mine = await identities.listForUser(tx, userId);
        if (mine.some((row) => row.issuer === identity.issuer)) throw new SsoFailure("already_linked");
        const row = await identities.insert(tx, {
          userId,
          issuer: identity.issuer,
          subject: identity.subject,
          email: identity.email ?? null,
          lastUsedAt: now,
        });
        await events.publish(
          tx,
          "auth.sso_linked",
          { userId, identityId: row.id, issuer: row.issuer, subject: row.subject, via: "profile" },
          userActor(userId),
        );
      })
      .catch((error: unknown) => {
        // Linked at the same moment elsewhere: the unique indexes decided.
        if (isUniqueViolation(error)) throw new SsoFailure("identity_taken", "lost a race on the unique index");
        throw error;
      });
  }

  private async recordFailure(failure: SsoFailure, userId: string | undefined): Promise<void> {
    const { db, events, logger, provider } = this.deps;
    logger.info({ reason: failure.reason, detail: failure.message }, "single sign-on refused");
    const ownerId = userId ?? failure.userId;
    await db
      .transaction((tx) =>
        events.publish(
          tx,
          "auth.sso_failed",
          { reason: failure.reason, issuer: provider?.client.issuer ?? "", ...(ownerId ? { userId: ownerId } : {}) },
          ownerId ? userActor(ownerId) : anonymous,
        ),
      )
      .catch((error: unknown) => logger.warn({ err: error }, "could not record a failed single sign-on"));
  }
}

type VerifiedIdentity = Awaited<ReturnType<OidcClient["exchange"]>>;

/** The provider's name for the person if it is acceptable text, else the email's local part. */
function displayName(name: string | undefined, email: string): string {
  const parsed = signupInput.shape.name.safeParse(name?.slice(0, 100) ?? "");
  return parsed.success ? parsed.data : email.split("@")[0]?.slice(0, 100) || email.slice(0, 100);
}
