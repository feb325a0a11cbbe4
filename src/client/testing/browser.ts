import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, inject } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import type {} from "../../server/testing/screen-test-server.js";

/**
 * Setup of the `dom` Vitest project: what a browser gives the client and jsdom does not, wired
 * to the test server of `src/server/testing/screen-test-server.ts`. One "browser" per test
 * file: a cookie jar that `fetch` and the WebSocket share (the session cookie is httpOnly, so
 * it lives here as in a real browser), relative URLs resolved against the server, and the
 * Origin a browser would send on the socket's upgrade. The client code under test is the
 * production code: `createApiClients` calls `fetch("/trpc/…")` and `new WebSocket(url)`.
 */
export const apiOrigin = inject("apiOrigin");

// A page's first open loads its chunk and asks the server; on a busy machine that can take seconds.
configure({ asyncUtilTimeout: 10_000 });
export const screenAdmin = inject("screenAdmin");

// jsdom has <dialog> but none of its methods (jsdom/jsdom#3294): open and close it as a browser
// does, without the top layer. The confirmation dialogs (ui/ConfirmDialog.tsx) need them.
if (typeof HTMLDialogElement.prototype.showModal !== "function") {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
    if (!this.hasAttribute("open")) return;
    this.removeAttribute("open");
    this.dispatchEvent(new Event("close"));
  };
}

const cookies = new Map<string, string>();

/** What the browser would send in `Cookie:`. */
function cookieHeader(): string | undefined {
  return cookies.size === 0 ? undefined : [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
}

/** Keeps each `Set-Cookie` (the server sets only Path=/ cookies on its own host); an expired one is dropped. */
function absorb(setCookies: readonly string[]) {
  for (const line of setCookies) {
    const [pair = "", ...attributes] = line.split(";");
    const equals = pair.indexOf("=");
    if (equals < 1) continue;
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key = "", raw = ""] = attribute.split("=");
      const field = key.trim().toLowerCase();
      if (field === "max-age") return Number(raw) <= 0;
      if (field === "expires") return Date.parse(raw) <= Date.now();
      return false;
    });
    if (expired || value === "") cookies.delete(name);
    else cookies.set(name, value);
  }
}

/** Forgets every cookie: the next test's browser starts signed out. */
export function clearCookies() {
  cookies.clear();
}

const nodeFetch = globalThis.fetch;

/** A fetch outside the browser (no cookie jar): for the test's own calls as another account. */
export const serverFetch: typeof fetch = (input, init) =>
  nodeFetch(new URL(input instanceof Request ? input.url : String(input), apiOrigin), init);

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(new URL(input instanceof Request ? input.url : String(input), apiOrigin), init);
  const cookie = cookieHeader();
  if (cookie) request.headers.set("cookie", cookie);
  const response = await nodeFetch(request);
  absorb(response.headers.getSetCookie());
  return response;
};

/** The browser's WebSocket: sends the jar's cookies and the page's Origin on the upgrade, as a browser does. */
class BrowserWebSocket extends NodeWebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    const cookie = cookieHeader();
    super(new URL(String(url), apiOrigin), protocols, {
      headers: { origin: apiOrigin, ...(cookie ? { cookie } : {}) },
    });
  }
}
globalThis.WebSocket = BrowserWebSocket as unknown as typeof WebSocket;

/** Each test gets a fresh browser: no cookies, nothing stored (a table's remembered page size, the theme). */
afterEach(() => {
  cleanup();
  clearCookies();
  window.localStorage.clear();
  window.sessionStorage.clear();
});
