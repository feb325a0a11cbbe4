import { randomUUID } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

/**
 * Access tokens (RFC 8725 best practice): HS256 pinned, explicit type `at+jwt`, issuer,
 * audience, subject, session id, `iat` and `exp` all required. A token is only a claim:
 * every request still checks the session it names, so revocation is immediate.
 */
export const TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
const ALGORITHM = "HS256";
const TYPE = "at+jwt";
const ISSUER = "gantry";
const AUDIENCE = "gantry-api";

export interface AccessClaims {
  userId: string;
  sessionId: string;
  issuedAt: Date;
  expiresAt: Date;
}

export class InvalidToken extends Error {
  override name = "InvalidToken";
}

/**
 * Tokens this process has verified, so a client's every call does not pay for an HMAC through
 * WebCrypto again (a fifth of an authenticated call's CPU). The same string carries the same
 * signature, so it verifies the same way while the key is unchanged; expiry is still checked on
 * every call. Only verified tokens are kept, at most this many (oldest dropped first).
 */
const VERIFIED_TOKENS_KEPT = 10_000;

export class TokenService {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, AccessClaims>();

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(userId: string, sessionId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(now.getTime() + TOKEN_TTL_MS);
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: ALGORITHM, typ: TYPE })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  async verify(token: string, now = Date.now()): Promise<AccessClaims> {
    const known = this.verified.get(token);
    if (known) {
      // jose refuses a token at its `exp` second; so does the shortcut.
      if (known.expiresAt.getTime() > now) return known;
      this.verified.delete(token);
      throw new InvalidToken("expired");
    }
    const claims = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) {
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(token, claims);
    return claims;
  }

  private async verifySignature(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        typ: TYPE,
        requiredClaims: ["exp", "iat", "sub", "sid", "jti"],
      });
      if (typeof payload.sid !== "string" || typeof payload.sub !== "string") throw new InvalidToken("malformed");
      return {
        userId: payload.sub,
        sessionId: payload.sid,
        issuedAt: new Date((payload.iat ?? 0) * 1000),
        expiresAt: new Date((payload.exp ?? 0) * 1000),
      };
    } catch (error) {
      throw error instanceof InvalidToken ? error : new InvalidToken("invalid token");
    }
  }
}
