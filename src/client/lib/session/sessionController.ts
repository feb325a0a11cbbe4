import { isTRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../../server/trpc/router.js";
import type { AuthResult, PublicUser } from "../../../shared/schemas/auth";
import { reconnectDelayMs } from "../api/endpoints";
import type { AppAction } from "../store";
import type { ChangePasswordInput, LoginInput, SessionApi, SignupInput } from "./sessionApi";
import {
  type SessionState,
  sessionEnded,
  sessionLoaded,
  signedIn,
  signedOut,
  toSignedInUser,
  userUpdated,
} from "./sessionSlice";

export const SESSION_ENDED_NOTICE = "Your session has ended. Please sign in again.";

/** The part of the app store the controller uses; tests pass a real store. */
export interface SessionStore {
  getState(): { session: SessionState };
  dispatch(action: AppAction): unknown;
}

export interface SessionControllerDeps {
  store: SessionStore;
  api: SessionApi;
  /** Forgets cached server data, so one account never sees what another loaded. */
  resetCache(): void;
  /** Waits before retrying; tests make it instant. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Owns the browser's session: loads it at start, signs in and out, and follows
 * `auth.onAccount` so that a role change or a revoked session shows at once.
 *
 * Signals that the session ended (a null from the watch, an UNAUTHORIZED from any call)
 * are checked against `auth.me` before the user is signed out: they can come from a
 * connection that still carries an old cookie, e.g. while a password change swaps it.
 * For the same reason they wait until a sign-in or password change in flight has settled.
 */
export class SessionController {
  private readonly sleep: (ms: number) => Promise<void>;
  private transitions = 0;
  private idleWaiters: Array<() => void> = [];
  private watch: { unsubscribe(): void } | null = null;
  /** Bumped on every (re)subscribe: late messages from an older watch are ignored. */
  private watchGeneration = 0;
  private checking: Promise<void> | null = null;
  /**
   * Checks in a row that found the session alive although the watch said otherwise. Each
   * waits longer before watching again, so a watch that keeps failing (a server that
   * cannot read the cookie on the socket, a rate limit) never turns into a request storm.
   */
  private falseAlarms = 0;

  constructor(private readonly deps: SessionControllerDeps) {
    this.sleep = deps.sleep ?? realSleep;
  }

  /** Asks the server who is signed in; retries while it cannot be reached (pages wait on "unknown"). */
  async start(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const user = await this.deps.api.me();
        this.dispatch(sessionLoaded(user ? toSignedInUser(user) : null));
        if (user) this.restartWatch();
        return;
      } catch {
        await this.sleep(reconnectDelayMs(attempt + 1));
      }
    }
  }

  login = (input: LoginInput): Promise<AuthResult> =>
    this.transition(async () => {
      const result = await this.deps.api.login(input);
      await this.establish(result.user);
      return result;
    });

  signup = (input: SignupInput): Promise<AuthResult> =>
    this.transition(async () => {
      const result = await this.deps.api.signup(input);
      await this.establish(result.user);
      return result;
    });

  logout = (): Promise<void> => this.transition(() => this.signOut(() => this.deps.api.logout()));

  logoutAll = (): Promise<void> => this.transition(() => this.signOut(() => this.deps.api.logoutAll()));

  /** The server ends every session and hands this browser a new cookie: move the socket onto it. */
  changePassword = (input: ChangePasswordInput): Promise<AuthResult> =>
    this.transition(async () => {
      const result = await this.deps.api.changePassword(input);
      this.dispatch(userUpdated(toSignedInUser(result.user)));
      await this.deps.api.reconnect();
      this.falseAlarms = 0;
      this.restartWatch();
      return result;
    });

  /** A mutation returned a fresher copy of the signed-in user (e.g. a new name). */
  applyUser = (user: PublicUser): void => {
    this.dispatch(userUpdated(toSignedInUser(user)));
  };

  /** Any call answered UNAUTHORIZED: the session may have ended. */
  handleUnauthorized = (): void => {
    void this.confirmSession();
  };

  private get session(): SessionState {
    return this.deps.store.getState().session;
  }

  private dispatch(action: AppAction): void {
    this.deps.store.dispatch(action);
  }

  private async establish(user: PublicUser): Promise<void> {
    const previous = this.session.user;
    if (previous && previous.id !== user.id) this.deps.resetCache();
    // Reopen the socket before pages that subscribe (audit, watch) appear, so they start signed in.
    await this.deps.api.reconnect();
    this.dispatch(signedIn(toSignedInUser(user)));
    this.falseAlarms = 0;
    this.restartWatch();
  }

  private async signOut(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      // Already ended on the server: signing out here is all that is left to do.
      if (!isUnauthorized(error)) throw error;
    }
    this.stopWatch();
    this.dispatch(signedOut());
    this.deps.resetCache();
    await this.deps.api.reconnect();
  }

  private restartWatch(): void {
    this.stopWatch();
    const generation = ++this.watchGeneration;
    const current = () => generation === this.watchGeneration;
    this.watch = this.deps.api.watch({
      onData: (user) => {
        if (!current()) return;
        if (!user) {
          void this.confirmSession();
          return;
        }
        this.falseAlarms = 0;
        this.dispatch(userUpdated(toSignedInUser(user)));
      },
      onError: () => {
        if (current()) void this.confirmSession();
      },
      onComplete: () => {
        if (current()) void this.confirmSession();
      },
    });
  }

  private stopWatch(): void {
    this.watchGeneration++;
    this.watch?.unsubscribe();
    this.watch = null;
  }

  /** One check at a time: a null, a completion and an UNAUTHORIZED often arrive together. */
  private confirmSession(): Promise<void> {
    this.checking ??= this.checkSession().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async checkSession(): Promise<void> {
    await this.idle();
    if (this.session.status !== "signedIn") return;
    let user: PublicUser | null;
    try {
      user = await this.deps.api.me();
    } catch {
      // Unreachable is not signed out: keep the session and look again shortly.
      await this.sleep(reconnectDelayMs(3));
      if (this.session.status === "signedIn") this.restartWatch();
      return;
    }
    if (this.transitions > 0 || this.session.status !== "signedIn") return;
    if (!user) {
      this.stopWatch();
      this.dispatch(sessionEnded(SESSION_ENDED_NOTICE));
      this.deps.resetCache();
      await this.deps.api.reconnect();
      return;
    }
    // Still signed in (the signal came from a stale connection), maybe as someone else
    // after a sign-in in another tab: follow the cookie.
    if (this.session.user?.id !== user.id) {
      this.deps.resetCache();
      this.dispatch(signedIn(toSignedInUser(user)));
    } else {
      this.dispatch(userUpdated(toSignedInUser(user)));
    }
    await this.sleep(reconnectDelayMs(this.falseAlarms++));
    if (this.transitions > 0 || this.session.status !== "signedIn") return;
    await this.deps.api.reconnect();
    this.restartWatch();
  }

  private async transition<T>(work: () => Promise<T>): Promise<T> {
    this.transitions++;
    try {
      return await work();
    } finally {
      this.transitions--;
      if (this.transitions === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private idle(): Promise<void> {
    if (this.transitions === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

export function isUnauthorized(error: unknown): boolean {
  return isTRPCClientError<AppRouter>(error) && error.data?.code === "UNAUTHORIZED";
}
