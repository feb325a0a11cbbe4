import type { RateLimitDecision, RateLimiter } from "../../core/rate-limit.js";
import { DomainError, unauthorized } from "../errors.js";
import type { SessionCaller, SessionService } from "./sessions.js";
import { type AccessClaims, InvalidToken, type TokenService } from "./tokens.js";

/** Who a call comes from, and whether their budget (RATE_LIMIT_PER_MINUTE) lets it through. */
export interface Admission {
  /** The caller whose session the token names, or null (no token, or one that failed the check). */
  user: SessionCaller | null;
  /** Why a token the caller sent was refused, to explain an UNAUTHORIZED. */
  authProblem: DomainError | undefined;
  decision: RateLimitDecision;
}

/** The budget a call spends: the account's when signed in, the address's otherwise. */
export const budgetKey = {
  user: (userId: string) => `user:${userId}`,
  address: (ip: string) => `ip:${ip}`,
};

/**
 * Checks the session a call's token names (every call: revocations apply to the very next one)
 * and spends the caller's budget, in one Redis round trip when both live there: the budget of
 * the account the token names is spent by the same Lua script that reads the session's live
 * copy (`RateLimiter.consumeAlong`). If the session turns out ended, that point is given back
 * and the address pays instead, as it would have without the shortcut. Elsewhere (embedded,
 * Redis not believed) the session is checked first, then the right budget spent.
 */
export class CallAdmission {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
  ) {}

  async admit(token: string | null, ip: string, budget: RateLimiter): Promise<Admission> {
    if (!token) return { user: null, authProblem: undefined, decision: await budget.consume(budgetKey.address(ip)) };
    let claims: AccessClaims;
    try {
      claims = await this.tokens.verify(token);
    } catch (error) {
      if (!(error instanceof InvalidToken)) throw error;
      return this.anonymous(invalidToken(), ip, budget);
    }

    const live = this.sessions.liveRead(claims.sessionId);
    if (!live) {
      const checked = await this.check(claims);
      if (!checked.user) return this.anonymous(checked.problem, ip, budget);
      return {
        user: checked.user,
        authProblem: undefined,
        decision: await budget.consume(budgetKey.user(checked.user.id)),
      };
    }

    const spent = budgetKey.user(claims.userId);
    const { decision, read } = await budget.consumeAlong(spent, live.key);
    const checked = await this.check(claims, read && { read, losses: live.losses }).catch(async (error: unknown) => {
      await budget.refund(spent).catch(() => {});
      throw error;
    });
    // The session always names the token's user (`resolve` checks it), so `spent` was theirs.
    if (checked.user) return { user: checked.user, authProblem: undefined, decision };
    await budget.refund(spent).catch(() => {});
    return this.anonymous(checked.problem, ip, budget);
  }

  /** The session check; a DomainError (ended, or impossible to make) leaves the caller anonymous. */
  private async check(
    claims: AccessClaims,
    prefetched?: Parameters<SessionService["resolve"]>[2],
  ): Promise<{ user: SessionCaller; problem?: undefined } | { user?: undefined; problem: DomainError }> {
    try {
      return { user: await this.sessions.resolve(claims, new Date(), prefetched) };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { problem: error };
    }
  }

  private async anonymous(problem: DomainError, ip: string, budget: RateLimiter): Promise<Admission> {
    return { user: null, authProblem: problem, decision: await budget.consume(budgetKey.address(ip)) };
  }
}

export const invalidToken = () => unauthorized("Your session is not valid. Please sign in again.");
