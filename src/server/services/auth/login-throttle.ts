import type { RateLimitDecision, RateLimiter } from "../../core/rate-limit.js";

/**
 * How many sign-in attempts may fail, and where. A hard per-account limit would let anyone
 * lock anyone out by typing a few wrong passwords, so the tight limits are per address:
 * - one address guessing one account: 5 per 15 minutes;
 * - one address spraying many accounts: 50 per 15 minutes;
 * - one account, from all addresses together: 10 per 6 minutes, i.e. at most 100 an hour
 *   (OWASP ASVS 2.2.1). This only slows a distributed attack down: its window is short, so
 *   even while it is hit the owner waits minutes, not a quarter of an hour.
 */
export const LOGIN_LIMITS = {
  accountAtAddress: { points: 5, durationSeconds: 15 * 60 },
  address: { points: 50, durationSeconds: 15 * 60 },
  account: { points: 10, durationSeconds: 6 * 60 },
} as const;

export type LoginLimitName = keyof typeof LOGIN_LIMITS;

export interface LoginAttempt {
  email: string;
  address: string;
}

export class LoginThrottle {
  constructor(private readonly limiters: Record<LoginLimitName, RateLimiter>) {}

  /** Builds one from a limiter factory (Redis-backed when shared by several instances). */
  static create(make: (name: string, points: number, durationSeconds: number) => RateLimiter): LoginThrottle {
    const limiter = (name: LoginLimitName) =>
      make(`login-${name}`, LOGIN_LIMITS[name].points, LOGIN_LIMITS[name].durationSeconds);
    return new LoginThrottle({
      accountAtAddress: limiter("accountAtAddress"),
      address: limiter("address"),
      account: limiter("account"),
    });
  }

  /**
   * Spends one point of each limit, narrowest first, before any password is checked (so
   * concurrent guesses cannot all get through). An attempt refused by one limit gets the
   * points it spent on the others back: a throttled attacker does not use up the account's
   * budget, and an owner refused by the account ceiling does not use up their own address's.
   */
  async admit(attempt: LoginAttempt): Promise<RateLimitDecision> {
    const spent: Array<[RateLimiter, string]> = [];
    for (const [limiter, key] of this.keys(attempt)) {
      const decision = await limiter.consume(key);
      if (!decision.allowed) {
        await Promise.all(spent.map(([l, k]) => l.refund(k)));
        return decision;
      }
      spent.push([limiter, key]);
    }
    return { allowed: true };
  }

  /**
   * The right password: this address's failures on the account are forgotten, and the
   * attempt's own points come back. The account's count is not reset, or the owner signing
   * in would hand a distributed attacker a fresh hundred guesses.
   */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    const [pair, address, account] = this.keys(attempt);
    await Promise.all([pair[0].reset(pair[1]), address[0].refund(address[1]), account[0].refund(account[1])]);
  }

  private keys(attempt: LoginAttempt): [[RateLimiter, string], [RateLimiter, string], [RateLimiter, string]] {
    return [
      [this.limiters.accountAtAddress, JSON.stringify([attempt.email, attempt.address])],
      [this.limiters.address, attempt.address],
      [this.limiters.account, attempt.email],
    ];
  }
}
