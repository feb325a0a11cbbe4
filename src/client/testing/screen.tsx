import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createTRPCClient, httpBatchLink, type TRPCClient } from "@trpc/client";
import { createMemoryRouter, RouterProvider } from "react-router";
import superjson from "superjson";
import { afterEach } from "vitest";
import type { AppRouter } from "../../server/trpc/router.js";
import type { Role } from "../../shared/permissions";
import type { PublicUser } from "../../shared/schemas/auth";
import { Providers } from "../app/Providers";
import { appRoutes } from "../app/router";
import { CLIENT_HEADER, TRPC_PATH } from "../lib/api/endpoints";
import { createQueryClient } from "../lib/api/queryClient";
import { type ApiClients, createApiClients } from "../lib/api/trpc";
import { createSessionApi } from "../lib/session/sessionApi";
import { SessionController } from "../lib/session/sessionController";
import { createAppStore } from "../lib/store";
import { apiOrigin, screenAdmin, serverFetch } from "./browser";

/**
 * Screen tests: the whole client (route table, layout, guards, pages) in jsdom, talking to a
 * real Gantry through the production typed client. Nothing between them is mocked.
 */
const open: ApiClients[] = [];
afterEach(() => {
  for (const clients of open.splice(0)) clients.wsClient.close();
});

/** Opens the app at `path` as main.tsx does, with an in-memory history instead of the address bar. */
export function openApp(path: string) {
  const store = createAppStore({ prefersDark: false });
  const queryClient = createQueryClient({ onUnauthorized: () => session.handleUnauthorized() });
  const clients = createApiClients(new URL(apiOrigin));
  open.push(clients);
  const session = new SessionController({
    store,
    api: createSessionApi(clients),
    resetCache: () => void queryClient.resetQueries(),
  });
  void session.start();
  const router = createMemoryRouter(appRoutes, { initialEntries: [path] });
  const user = userEvent.setup();
  const view = render(
    <Providers store={store} queryClient={queryClient} clients={clients} session={session}>
      <RouterProvider router={router} />
    </Providers>,
  );
  return { ...view, user, router, store, session, clients, queryClient };
}

/** A typed client that goes around the browser: a bearer token, or nobody. */
export function serverClient(token?: string): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: TRPC_PATH,
        transformer: superjson,
        fetch: serverFetch,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }),
    ],
  });
}

/** The browser's own client (for setting up, and asking what its cookie opens): calls carry and store its cookies, as the page's do. */
export const browserClient = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: TRPC_PATH, transformer: superjson, headers: { [CLIENT_HEADER]: "web" } })],
});

let adminToken: Promise<string> | undefined;
/** The bootstrap admin's token, signed in once per file. */
export function adminApi(): Promise<TRPCClient<AppRouter>> {
  adminToken ??= serverClient()
    .auth.login.mutate(screenAdmin)
    .then((result) => signedInResult(result).accessToken);
  return adminToken.then((token) => serverClient(token));
}

let accounts = 0;
export interface Account {
  user: PublicUser;
  email: string;
  password: string;
  /** The same account's API, apart from the browser (as from another device). */
  api: TRPCClient<AppRouter>;
  /** Its bearer token, for the plain HTTP routes (uploads). */
  token: string;
}

/** A fresh account of `role`, not signed in in the browser. */
export async function createAccount(role: Exclude<Role, "admin"> = "user", name?: string): Promise<Account> {
  accounts += 1;
  const email = `screen-${Date.now().toString(36)}-${accounts}-${Math.random().toString(36).slice(2, 8)}@gantry.test`;
  const password = "a perfectly fine passphrase";
  const result = await serverClient().auth.signup.mutate({ email, password, name: name ?? `Screen User ${accounts}` });
  let user = result.user;
  if (role !== "user") user = await (await adminApi()).users.setRole.mutate({ userId: user.id, role });
  return { user, email, password, api: serverClient(result.accessToken), token: result.accessToken };
}

/** Signs the browser in (its cookie jar gets the session cookie) as an existing account. */
export async function signIn(account: { email: string; password: string }): Promise<void> {
  await browserClient.auth.login.mutate({ email: account.email, password: account.password });
}

/** Signs the browser in as a fresh account of `role`, or as the admin. */
export async function signedInAs(role: Role): Promise<Account> {
  if (role === "admin") {
    const result = signedInResult(await browserClient.auth.login.mutate(screenAdmin));
    return { user: result.user, ...screenAdmin, api: serverClient(result.accessToken), token: result.accessToken };
  }
  const account = await createAccount(role);
  await signIn(account);
  return account;
}

/** The session of a sign-in expected to complete at once (the screen tests' accounts have no second factor). */
function signedInResult<T extends object>(result: T): Extract<T, { accessToken: string }> {
  if (!("accessToken" in result)) throw new Error("expected a session, but the sign-in asks for a second factor");
  return result as Extract<T, { accessToken: string }>;
}
