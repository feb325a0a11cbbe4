import type { inferRouterInputs } from "@trpc/server";
import type { AppRouter } from "../../../server/trpc/router.js";
import type { AuthResult, PublicUser } from "../../../shared/schemas/auth";
import type { ApiClients } from "../api/trpc";
import { reconnectSocket } from "../socket/socketReconnect";

type AuthInputs = inferRouterInputs<AppRouter>["auth"];
export type LoginInput = AuthInputs["login"];
export type SignupInput = AuthInputs["signup"];
export type ChangePasswordInput = AuthInputs["changePassword"];

export interface WatchObserver {
  onData(user: PublicUser | null): void;
  onError(error: unknown): void;
  /** The server ended the subscription (it does so after sending null). */
  onComplete(): void;
}

/** What the session controller needs from the server; tests pass a fake. */
export interface SessionApi {
  me(): Promise<PublicUser | null>;
  login(input: LoginInput): Promise<AuthResult>;
  signup(input: SignupInput): Promise<AuthResult>;
  logout(): Promise<unknown>;
  logoutAll(): Promise<unknown>;
  changePassword(input: ChangePasswordInput): Promise<AuthResult>;
  watch(observer: WatchObserver): { unsubscribe(): void };
  /** Reopens the WebSocket so that subscriptions run with the cookie the browser holds now. */
  reconnect(): Promise<void>;
}

export function createSessionApi({ trpcClient, wsClient }: ApiClients): SessionApi {
  const { auth } = trpcClient;
  return {
    me: () => auth.me.query(),
    login: (input) => auth.login.mutate(input),
    signup: (input) => auth.signup.mutate(input),
    logout: () => auth.logout.mutate(),
    logoutAll: () => auth.logoutAll.mutate(),
    changePassword: (input) => auth.changePassword.mutate(input),
    watch: (observer) =>
      auth.onAccount.subscribe(undefined, {
        onData: (user) => observer.onData(user),
        onError: (error) => observer.onError(error),
        onStopped: () => observer.onComplete(),
        onComplete: () => observer.onComplete(),
      }),
    reconnect: () => reconnectSocket(wsClient),
  };
}
