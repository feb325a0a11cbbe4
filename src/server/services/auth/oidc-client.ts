import * as oidc from "openid-client";
import { SsoFailure } from "./sso-failure.js";

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back: PUBLIC_URL/auth/sso/callback. */
  redirectUri: string;
  /** Longest wait for one call to the provider. */
  timeoutMs: number;
}

/** What one authorization request must remember until its callback (kept in the flow cookie). */
export interface AuthorizationChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The person the provider vouched for, from an ID token openid-client has verified. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string | undefined;
  /** undefined when the provider does not say. */
  emailVerified: boolean | undefined;
  name: string | undefined;
}

/**
 * The relying party's side of the OpenID Connect code flow, through openid-client: discovery
 * (once, remembered; retried after a failure), an authorization URL with PKCE (S256), state and
 * nonce, and the code exchange, where openid-client checks state, PKCE, and the ID token's
 * signature, `iss`, `aud`, `exp` and `nonce`. Every call to the provider is bounded by
 * `timeoutMs`; a provider that is down or slow becomes `provider_unavailable`, never a hang.
 */
export class OidcClient {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly settings: OidcSettings) {}

  get issuer(): string {
    return this.settings.issuer;
  }

  async authorizationRequest(): Promise<{ url: string; checks: AuthorizationChecks }> {
    const config = await this.discovered();
    const checks = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      response_type: "code",
      scope: "openid email profile",
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: "S256",
    });
    return { url: url.href, checks };
  }

  /** Trades the callback's code for tokens and returns who the verified ID token names. */
  async exchange(callbackUrl: URL, checks: AuthorizationChecks): Promise<VerifiedIdentity> {
    const config = await this.discovered();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      // The token call and, on first use, the signing keys: each bounded, and the pair too.
      tokens = await withDeadline(
        oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        }),
        this.settings.timeoutMs * 2,
      );
    } catch (error) {
      throw failureOf(error);
    }
    const claims = tokens.claims();
    if (!claims) throw new SsoFailure("provider_error", "the token response had no ID token");
    // Some providers put email and name in the ID token, others only at the userinfo endpoint
    // (OpenID Connect Core 5.4); openid-client checks that userinfo speaks of the same `sub`.
    let profile: Record<string, unknown> = claims;
    if (typeof claims.email !== "string") {
      try {
        profile = {
          ...(await withDeadline(oidc.fetchUserInfo(config, tokens.access_token, claims.sub), this.settings.timeoutMs)),
          iss: claims.iss,
          sub: claims.sub,
        };
      } catch (error) {
        throw failureOf(error);
      }
    }
    return {
      issuer: claims.iss,
      subject: claims.sub,
      email: typeof profile.email === "string" ? profile.email.trim().toLowerCase() : undefined,
      emailVerified: typeof profile.email_verified === "boolean" ? profile.email_verified : undefined,
      name: typeof profile.name === "string" ? profile.name.trim() : undefined,
    };
  }

  private discovered(): Promise<oidc.Configuration> {
    this.configuration ??= this.discover().catch((error: unknown) => {
      // Not remembered: the next sign-in tries again (the provider may be back).
      this.configuration = undefined;
      throw failureOf(error);
    });
    return this.configuration;
  }

  private async discover(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret, timeoutMs } = this.settings;
    const insecure = new URL(issuer).protocol === "http:";
    const config = await withDeadline(
      oidc.discovery(new URL(issuer), clientId, clientSecret, oidc.ClientSecretBasic(clientSecret), {
        // openid-client counts in seconds; the same bound then applies to every later call.
        timeout: timeoutMs / 1000,
        // Plain HTTP is only configurable for a provider on this machine (config.ts).
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      }),
      timeoutMs,
    );
    return config;
  }
}

/** Names the failure by what the person can do about it: wait (provider unavailable) or not. */
function failureOf(error: unknown): SsoFailure {
  if (error instanceof SsoFailure) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    // The provider sent the browser back with an error instead of a code.
    return new SsoFailure(error.error === "access_denied" ? "denied" : "provider_error", error.error, { cause: error });
  }
  const code = (error as { code?: string } | null)?.code;
  const unreachable = causes(error).some(
    (link) =>
      link instanceof DeadlineExceeded ||
      (link as { name?: string }).name === "TimeoutError" ||
      (link as { name?: string }).name === "AbortError" ||
      (link instanceof TypeError && /fetch failed/i.test(link.message)) ||
      (link as { code?: string }).code === "OAUTH_RESPONSE_IS_NOT_CONFORM",
  );
  const detail = error instanceof Error ? `${error.name}: ${error.message}${code ? ` (${code})` : ""}` : String(error);
  return new SsoFailure(unreachable ? "provider_unavailable" : "provider_error", detail, { cause: error });
}

/** The error and what it wraps (openid-client wraps fetch's errors), a few levels deep. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let link = error; link && chain.length < 5; link = (link as { cause?: unknown }).cause) chain.push(link);
  return chain;
}

class DeadlineExceeded extends Error {}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
