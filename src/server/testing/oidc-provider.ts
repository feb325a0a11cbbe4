import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt, decodeProtectedHeader, importJWK, type JWK, SignJWT } from "jose";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { randomToken } from "../utils/crypto.js";

/** A person at the test provider; `login` is what the dev login form's first field takes. */
export interface TestOidcAccount {
  login: string;
  /** The provider's subject for them; their `login` when not given. */
  sub?: string;
  email?: string;
  emailVerified?: boolean;
  name?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Changes the claims of the next ID tokens the token endpoint hands out (re-signed with the provider's key). */
  tamperIdTokens(rewrite: ((claims: Record<string, unknown>) => Record<string, unknown>) | undefined): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (panva's `oidc-provider`, the certified one) on 127.0.0.1 and a
 * random port, for tests only: one confidential client, the given accounts, PKCE required,
 * and a plain login page of ours (any password; the login names the account; Cancel denies).
 * Consent is granted without asking, as a first-party provider would.
 */
export async function startTestOidcProvider(options: {
  redirectUris: string[];
  accounts: TestOidcAccount[];
  clientId?: string;
  clientSecret?: string;
  /** Any other login is an account too: subject = login, email = login@emailDomain (browser journeys). */
  anyLogin?: { emailDomain: string };
}): Promise<TestOidcProvider> {
  const clientId = options.clientId ?? "gantry-test";
  const clientSecret = options.clientSecret ?? randomToken();
  const accounts = new Map(options.accounts.map((account) => [account.sub ?? account.login, account]));
  const byLogin = new Map(options.accounts.map((account) => [account.login, account.sub ?? account.login]));

  // Our own signing key, so a test can forge a well-signed ID token with wrong claims.
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const signingJwk = { ...(privateKey.export({ format: "jwk" }) as JWK), kid: "test-key", alg: "RS256", use: "sig" };
  let rewrite: ((claims: Record<string, unknown>) => Record<string, unknown>) | undefined;

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [signingJwk as never] },
    cookies: { keys: [randomToken()] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Our own plain login page (below): the development one loads web fonts from the internet.
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The dev login form names an account by its login; claims come from the list above.
    async findAccount(_ctx, id) {
      const sub = byLogin.get(id) ?? id;
      const anyone =
        options.anyLogin && /^[\w.-]{1,60}$/.test(id)
          ? { login: id, email: `${id.toLowerCase()}@${options.anyLogin.emailDomain}`, name: id }
          : undefined;
      const account: TestOidcAccount | undefined = accounts.get(sub) ?? anyone;
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          ...(account.email ? { email: account.email, email_verified: account.emailVerified ?? true } : {}),
          ...(account.name ? { name: account.name } : {}),
        }),
      };
    },
    // First party: no consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId || oidc.session?.grantIdFor(oidc.client?.clientId ?? "");
      if (grantId) return oidc.provider.Grant.find(grantId);
      const grant = new oidc.provider.Grant({ clientId: oidc.client?.clientId, accountId: oidc.session?.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });

  provider.use(async (ctx, next) => {
    const step = ctx.path.match(/^\/interaction\/([\w-]+)(?:\/(login|abort))?$/);
    if (!step) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (step[2] === "login" && ctx.method === "POST") {
      const form = new URLSearchParams(await readBody(ctx.req));
      const result = { login: { accountId: byLogin.get(form.get("login") ?? "") ?? form.get("login") ?? "" } };
      return provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    }
    if (step[2] === "abort") {
      const result = { error: "access_denied", error_description: "The person cancelled" };
      return provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    }
    ctx.type = "html";
    ctx.body = loginPage(details.uid);
  });

  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (!rewrite || ctx.method !== "POST" || ctx.path !== "/token" || typeof body?.id_token !== "string") return;
    const claims = rewrite(decodeJwt(body.id_token));
    const key = await importJWK(signingJwk, "RS256");
    const header = decodeProtectedHeader(body.id_token);
    ctx.body = {
      ...body,
      id_token: await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: header.kid ?? "test-key" }).sign(key),
    };
  });

  handler = provider.callback();
  return {
    issuer,
    clientId,
    clientSecret,
    tamperIdTokens(next) {
      rewrite = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > 10_000) req.destroy(new Error("form too large"));
    });
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

/** The test provider's sign-in page: any password; the login names the account. No outside resources. */
function loginPage(uid: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Test provider sign-in</title></head><body>
<h1>Test provider</h1>
<form method="post" action="/interaction/${uid}/login">
  <label>Login <input name="login" autofocus required></label>
  <label>Password <input name="password" type="password"></label>
  <button type="submit">Sign in at the provider</button>
</form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>
</body></html>`;
}

/** A minimal cookie jar for driving the provider and the app with fetch, as a browser would. */
export class CookieJar {
  private readonly cookies = new Map<string, Map<string, string>>();

  /** Records the Set-Cookie headers of a response from `url`'s host (ports share cookies, as in browsers). */
  store(url: string, response: Response): void {
    const host = new URL(url).hostname;
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    this.cookies.set(host, jar);
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
  }

  header(url: string): string {
    const jar = this.cookies.get(new URL(url).hostname);
    return jar ? [...jar].map(([name, value]) => `${name}=${value}`).join("; ") : "";
  }

  get(url: string, name: string): string | undefined {
    return this.cookies.get(new URL(url).hostname)?.get(name);
  }

  set(url: string, name: string, value: string | undefined): void {
    const host = new URL(url).hostname;
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    this.cookies.set(host, jar);
    if (value === undefined) jar.delete(name);
    else jar.set(name, value);
  }
}
