import type { TestApp } from "./app.js";
import { CookieJar } from "./oidc-provider.js";

/** Where tests pretend the app is served: the provider redirects there, and the test injects the request. */
export const SSO_TEST_PUBLIC_URL = "http://gantry.test";

export interface AppAnswer {
  status: number;
  location: string | undefined;
  body: string;
}

/**
 * One browser for single sign-on tests: a cookie jar shared by the app (reached through Fastify's
 * `inject`, at SSO_TEST_PUBLIC_URL) and the in-process provider (reached over real HTTP), and
 * the steps a person takes: start, log in at the provider, come back.
 */
export class SsoBrowser {
  readonly jar = new CookieJar();

  constructor(private readonly app: TestApp) {}

  async request(method: "GET" | "POST", path: string, headers: Record<string, string> = {}): Promise<AppAnswer> {
    const http = this.app.gantry.http;
    if (!http) throw new Error("the test app serves no HTTP");
    const url = new URL(path, SSO_TEST_PUBLIC_URL);
    const response = await http.inject({
      method,
      url: `${url.pathname}${url.search}`,
      headers: { cookie: this.jar.header(SSO_TEST_PUBLIC_URL), ...headers },
    });
    for (const cookie of response.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const gone =
        cookie.value === "" || cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now());
      this.jar.set(SSO_TEST_PUBLIC_URL, cookie.name, gone ? undefined : cookie.value);
    }
    const location = response.headers.location;
    return {
      status: response.statusCode,
      location: typeof location === "string" ? location : undefined,
      body: response.body,
    };
  }

  /** `GET /auth/sso/start`: the provider's authorization URL it redirects to. */
  async startLogin(next?: string): Promise<string> {
    const answer = await this.request("GET", `/auth/sso/start${next ? `?next=${encodeURIComponent(next)}` : ""}`);
    if (answer.status !== 302 || !answer.location?.startsWith("http://127.0.0.1")) {
      throw new Error(`start did not redirect to the provider: ${answer.status} ${answer.location}`);
    }
    return answer.location;
  }

  /** `POST /auth/sso/link` as the profile page sends it (session cookie and the client header). */
  async startLink(): Promise<AppAnswer & { url?: string }> {
    const answer = await this.request("POST", "/auth/sso/link", { "x-gantry-client": "test" });
    const url = answer.status === 200 ? (JSON.parse(answer.body) as { url: string }).url : undefined;
    return { ...answer, ...(url ? { url } : {}) };
  }

  /**
   * At the provider: follows its redirects, fills in the development login form as `login`,
   * and returns the URL it sends the browser back to (not followed, so a test can alter it).
   */
  async loginAtProvider(authorizeUrl: string, login: string, options: { cancel?: boolean } = {}): Promise<string> {
    let url = authorizeUrl;
    let method: "GET" | "POST" = "GET";
    let body: URLSearchParams | undefined;
    for (let hop = 0; hop < 10; hop += 1) {
      const response = await fetch(url, {
        method,
        redirect: "manual",
        headers: {
          cookie: this.jar.header(url),
          ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        },
        ...(body ? { body } : {}),
      });
      this.jar.store(url, response);
      const location = response.headers.get("location");
      if (location) {
        const next = new URL(location, url).href;
        if (next.startsWith(SSO_TEST_PUBLIC_URL)) return next;
        url = next;
        method = "GET";
        body = undefined;
        continue;
      }
      const html = await response.text();
      const actions = [...html.matchAll(/<form[^>]*action="([^"]+)"/g)].map((match) => match[1] as string);
      const action = actions.find((path) => path.endsWith(options.cancel ? "/abort" : "/login"));
      if (!action)
        throw new Error(`the provider answered ${response.status} without a form or redirect: ${html.slice(0, 300)}`);
      url = new URL(action.replaceAll("&amp;", "&"), url).href;
      method = "POST";
      body = new URLSearchParams({ prompt: "login", login, password: "any password" });
    }
    throw new Error("the provider never sent the browser back");
  }

  /** The app's callback, with this browser's cookies. */
  callback(callbackUrl: string): Promise<AppAnswer> {
    return this.request("GET", callbackUrl);
  }

  /** start -> provider -> callback, as one step. */
  async signInWithSso(login: string, next?: string): Promise<AppAnswer> {
    return this.callback(await this.loginAtProvider(await this.startLogin(next), login));
  }

  /** The access token of the session cookie this browser holds, if any. */
  get sessionToken(): string | undefined {
    return this.jar.get(SSO_TEST_PUBLIC_URL, "gantry_session");
  }

  set sessionToken(token: string | undefined) {
    this.jar.set(SSO_TEST_PUBLIC_URL, "gantry_session", token);
  }
}
