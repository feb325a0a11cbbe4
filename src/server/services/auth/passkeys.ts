import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { AuthResult } from "../../../shared/schemas/auth.js";
import { PASSKEYS_MAX_PER_USER, type PasskeyView } from "../../../shared/schemas/passkeys.js";
import type { Logger } from "../../core/logger.js";
import type { RateLimiter } from "../../core/rate-limit.js";
import { isUniqueViolation } from "../../db/errors.js";
import type { PasskeyRow, PasskeysRepository } from "../../repositories/passkeys.js";
import type { SsoIdentitiesRepository } from "../../repositories/sso-identities.js";
import type { UserRow, UsersRepository } from "../../repositories/users.js";
import type { ChallengePurpose, WebauthnChallengesRepository } from "../../repositories/webauthn-challenges.js";
import { sha256 } from "../../utils/crypto.js";
import { badInput, DomainError, notFound, tooManyAttempts, unauthorized } from "../errors.js";
import { type ClientMeta, userActor } from "./auth-result.js";
import { type OpenSessionDeps, openSession } from "./open-session.js";
import type { SessionCaller } from "./sessions.js";

/** How long the browser may take over one ceremony, and how long its challenge stays usable. */
const CEREMONY_TIMEOUT_MS = 2 * 60_000;
const CHALLENGE_TTL_MS = 5 * 60_000;

const EXPIRED_MESSAGE = "This passkey request has expired or was already used. Please try again.";
const SIGN_IN_FAILED_MESSAGE = "That passkey could not sign you in.";

export interface PasskeyDeps extends OpenSessionDeps {
  users: UsersRepository;
  passkeys: PasskeysRepository;
  /** A linked single sign-on identity is a way in too: the last passkey may go if one is left. */
  ssoIdentities: SsoIdentitiesRepository;
  challenges: WebauthnChallengesRepository;
  /** The relying party (config `webauthn`): its id, display name and the origins allowed. */
  relyingParty: { rpId: string; rpName: string; origins: string[] };
  /** Sign-in ceremonies per client address (each sign-in spends two points: options, then answer). */
  signInLimiter: RateLimiter;
  /** Registration ceremonies per user. */
  registrationLimiter: RateLimiter;
  logger: Logger;
}

/**
 * Passkeys (WebAuthn, through SimpleWebAuthn): an account registers several discoverable
 * credentials from its profile, names and removes them, and signs in with one and no password.
 * Each ceremony's challenge is stored hashed, used once and short-lived (decision 0022); a
 * passkey sign-in opens a session exactly as a password sign-in does (`openSession`).
 */
export class PasskeyService {
  constructor(private readonly deps: PasskeyDeps) {}

  /** Whether the user can sign in with a passkey: a strong factor of its own (user verification, origin-bound). */
  async userHasPasskey(userId: string): Promise<boolean> {
    return (await this.deps.passkeys.countForUser(this.deps.db, userId)) > 0;
  }

  async list(caller: SessionCaller): Promise<PasskeyView[]> {
    return (await this.deps.passkeys.listForUser(this.deps.db, caller.id)).map(toView);
  }

  /** Step 1 of adding a passkey: options for `navigator.credentials.create`, bound to this session. */
  async registrationOptions(caller: SessionCaller): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { db, users, passkeys, relyingParty } = this.deps;
    await this.spend(this.deps.registrationLimiter, caller.id, "Too many passkey registrations");
    const user = await users.findById(db, caller.id);
    if (!user) throw unauthorized();
    const existing = await passkeys.listForUser(db, user.id);
    if (existing.length >= PASSKEYS_MAX_PER_USER) throw tooManyPasskeys();
    const options = await generateRegistrationOptions({
      rpName: relyingParty.rpName,
      rpID: relyingParty.rpId,
      userName: user.email,
      userDisplayName: user.name,
      userID: userHandleBytes(user.id),
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: "none",
      // The browser refuses an authenticator that already holds one of these for this account.
      excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
      // Discoverable (resident) credentials are what let a user sign in without typing an email.
      authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "preferred" },
    });
    await this.storeChallenge(options.challenge, "registration", { userId: user.id, sessionId: caller.sessionId });
    return options;
  }

  /** Step 2: verifies the authenticator's answer and stores the new passkey. */
  async register(
    caller: SessionCaller,
    input: { name?: string | undefined; response: RegistrationResponseJSON },
  ): Promise<PasskeyView> {
    const { db, passkeys, events, relyingParty } = this.deps;
    const challenge = challengeOf(input.response.response.clientDataJSON);
    const consumed = await this.deps.challenges.consume(db, sha256(challenge), "registration", new Date(), {
      userId: caller.id,
      sessionId: caller.sessionId,
    });
    if (!consumed) throw badInput("response", EXPIRED_MESSAGE);

    let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verification = await verifyRegistrationResponse({
        response: input.response,
        expectedChallenge: challenge,
        expectedOrigin: relyingParty.origins,
        expectedRPID: relyingParty.rpId,
        // "preferred": a security key without a PIN may still be added.
        requireUserVerification: false,
      });
    } catch (error) {
      this.deps.logger.info({ err: error, userId: caller.id }, "passkey registration refused");
      throw badInput("response", "This passkey could not be verified. Please try again.");
    }
    if (!verification.verified) throw badInput("response", "This passkey could not be verified. Please try again.");
    const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;

    const created = await db
      .transaction(async (tx) => {
        const owner = await passkeys.lockOwner(tx, caller.id);
        if (!owner) throw unauthorized();
        const count = await passkeys.countForUser(tx, caller.id);
        if (count >= PASSKEYS_MAX_PER_USER) throw tooManyPasskeys();
        const row = await passkeys.insert(tx, {
          userId: caller.id,
          credentialId: credential.id,
          publicKey: Buffer.from(credential.publicKey).toString("base64url"),
          counter: credential.counter,
          transports: credential.transports ?? input.response.response.transports ?? [],
          deviceType: credentialDeviceType,
          backedUp: credentialBackedUp,
          name: input.name ?? `Passkey ${count + 1}`,
        });
        await events.publish(
          tx,
          "auth.passkey_added",
          { userId: caller.id, passkeyId: row.id, name: row.name },
          userActor(caller.id),
        );
        return row;
      })
      .catch((error: unknown) => {
        // excludeCredentials makes browsers refuse this; a hand-made request gets CONFLICT.
        if (isUniqueViolation(error)) {
          throw new DomainError("CONFLICT", "This passkey is already registered.");
        }
        throw error;
      });
    return toView(created);
  }

  async rename(caller: SessionCaller, input: { id: string; name: string }): Promise<PasskeyView> {
    const { db, passkeys } = this.deps;
    const owned = await passkeys.findOwned(db, input.id, caller.id);
    if (!owned) throw notFound("Passkey");
    const updated = await passkeys.update(db, owned.id, { name: input.name });
    if (!updated) throw notFound("Passkey");
    return toView(updated);
  }

  /** Removes one; the last passkey only while the account still has a password to sign in with. */
  async remove(caller: SessionCaller, input: { id: string }): Promise<void> {
    const { db, passkeys, events } = this.deps;
    await db.transaction(async (tx) => {
      const owner = await passkeys.lockOwner(tx, caller.id);
      if (!owner) throw unauthorized();
      const passkey = await passkeys.findOwned(tx, input.id, caller.id);
      if (!passkey) throw notFound("Passkey");
      const otherWayIn = hasPassword(owner) || (await this.deps.ssoIdentities.listForUser(tx, caller.id)).length > 0;
      if (!otherWayIn && (await passkeys.countForUser(tx, caller.id)) <= 1) {
        throw new DomainError(
          "BAD_REQUEST",
          "This passkey is the only way to sign in to your account. Add another passkey or set a password first.",
        );
      }
      await passkeys.deleteOwned(tx, passkey.id, caller.id);
      await events.publish(
        tx,
        "auth.passkey_removed",
        { userId: caller.id, passkeyId: passkey.id, name: passkey.name },
        userActor(caller.id),
      );
    });
  }

  /** Step 1 of a passwordless sign-in: a challenge for any passkey of this site (discoverable). */
  async signInOptions(meta: ClientMeta): Promise<PublicKeyCredentialRequestOptionsJSON> {
    await this.spend(this.deps.signInLimiter, meta.ip ?? "unknown", "Too many passkey sign-in attempts");
    const options = await generateAuthenticationOptions({
      rpID: this.deps.relyingParty.rpId,
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification: "preferred",
    });
    await this.storeChallenge(options.challenge, "authentication", {});
    return options;
  }

  /** Step 2: verifies the assertion and opens a session for the passkey's owner. */
  async signIn(input: { response: AuthenticationResponseJSON }, meta: ClientMeta): Promise<AuthResult> {
    const { db, users, passkeys, relyingParty } = this.deps;
    await this.spend(this.deps.signInLimiter, meta.ip ?? "unknown", "Too many passkey sign-in attempts");
    const challenge = challengeOf(input.response.response.clientDataJSON);
    const consumed = await this.deps.challenges.consume(db, sha256(challenge), "authentication", new Date());
    if (!consumed) throw unauthorized(EXPIRED_MESSAGE);

    const passkey = await passkeys.findByCredentialId(db, input.response.id);
    if (!passkey) throw unauthorized("This passkey is not registered here. Sign in with your password.");
    // A discoverable credential names its account; it must be the one the passkey was added to.
    const handle = input.response.response.userHandle;
    if (handle !== undefined && handle !== userHandle(passkey.userId)) throw unauthorized(SIGN_IN_FAILED_MESSAGE);

    let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      verification = await verifyAuthenticationResponse({
        response: input.response,
        expectedChallenge: challenge,
        expectedOrigin: relyingParty.origins,
        expectedRPID: relyingParty.rpId,
        credential: {
          id: passkey.credentialId,
          publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
          counter: passkey.counter,
          transports: passkey.transports,
        },
        requireUserVerification: false,
      });
    } catch (error) {
      // A counter that went backwards (a cloned authenticator) lands here too.
      this.deps.logger.info({ err: error, passkeyId: passkey.id }, "passkey sign-in refused");
      throw unauthorized(SIGN_IN_FAILED_MESSAGE);
    }
    if (!verification.verified) throw unauthorized(SIGN_IN_FAILED_MESSAGE);

    const user = await users.findById(db, passkey.userId);
    if (!user) throw unauthorized(SIGN_IN_FAILED_MESSAGE);
    if (user.disabledAt) throw new DomainError("FORBIDDEN", "This account is disabled. Contact an administrator.");
    const used = await passkeys.recordUse(
      db,
      passkey.id,
      passkey.counter,
      verification.authenticationInfo.newCounter,
      new Date(),
    );
    if (!used) throw unauthorized(SIGN_IN_FAILED_MESSAGE);
    return openSession(this.deps, user, meta, "passkey");
  }

  private async spend(limiter: RateLimiter, key: string, what: string): Promise<void> {
    const decision = await limiter.consume(key);
    if (!decision.allowed) throw tooManyAttempts(decision.retryAfterMs, what);
  }

  private async storeChallenge(
    challenge: string,
    purpose: ChallengePurpose,
    owner: { userId?: string; sessionId?: string },
  ): Promise<void> {
    const now = new Date();
    await this.deps.db.transaction(async (tx) => {
      await this.deps.challenges.dropExpired(tx, now);
      if (owner.sessionId) await this.deps.challenges.dropForSession(tx, owner.sessionId);
      await this.deps.challenges.insert(tx, {
        challengeHash: sha256(challenge),
        purpose,
        userId: owner.userId ?? null,
        sessionId: owner.sessionId ?? null,
        expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
      });
    });
  }
}

function tooManyPasskeys(): DomainError {
  return new DomainError(
    "BAD_REQUEST",
    `An account may have at most ${PASSKEYS_MAX_PER_USER} passkeys. Remove one before adding another.`,
  );
}

/** An account opened by single sign-on has no password until it sets one. */
function hasPassword(user: UserRow): boolean {
  return Boolean(user.passwordHash);
}

/** The WebAuthn user handle: the account's id as 16 bytes (no personal data, as the spec asks). */
function userHandleBytes(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ""), "hex"));
}

function userHandle(userId: string): string {
  return Buffer.from(userHandleBytes(userId)).toString("base64url");
}

/** The challenge a browser signed, read from its client data, to find the stored one by. */
function challengeOf(clientDataJSON: string): string {
  try {
    const clientData: unknown = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
    const challenge = (clientData as { challenge?: unknown } | null)?.challenge;
    if (typeof challenge === "string" && challenge.length > 0 && challenge.length <= 256) return challenge;
  } catch {
    // Falls through to the typed error below.
  }
  throw badInput("response", "The passkey's answer is malformed.");
}

function toView(row: PasskeyRow): PasskeyView {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    backedUp: row.backedUp,
    transports: row.transports,
  };
}
