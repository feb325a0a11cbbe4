import type { RateLimiter } from "../../core/rate-limit.js";

/**
 * How many sign-in attempts may fail, and where. A hard per-account limit would let anyone
 * lock anyone out by typing a few wrong passwords, so the tight limits are per address:
 * - one address guessing one account: 5 per 15 minutes;
 * - one address spraying many accounts: 50 per 15 minutes;
 * - one account, from all addresses together: 10 per 6 minutes, i.e. at most 100 an hour
 *   (OWASP ASVS 2.2.1). A distributed attacker can keep this one exhausted, so an attempt
 *   carrying a genuine device cookie for the account (see `device-cookies.ts`) is exempt
 *   from it: the owner still gets in from a device they signed in on before;
 * - one device cookie: 5 per 15 minutes. Past that the cookie is no longer trusted and its
 *   attempts face the per-account ceiling like any other, so a stolen cookie buys little.
 */
const LOGIN_LIMITS = {
  accountAtAddress: { points: 5, durationSeconds: 15 * 60 },
  address: { points: 50, durationSeconds: 15 * 60 },
  account: { points: 10, durationSeconds: 6 * 60 },
  device: { points: 5, durationSeconds: 15 * 60 },
} as const;

export type LoginLimitName = keyof typeof LOGIN_LIMITS;

export interface LoginAttempt {
  email: string;
  address: string;
  /** A device cookie already verified to be genuine and to name this account. */
  trustedDevice?: string | undefined;
}

export type LoginAdmission = { allowed: true; succeeded(): Promise<void> } | { allowed: false; retryAfterMs: number };

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
      device: limiter("device"),
    });
  }

  /**
   * Spends one point of each limit, narrowest first, before any password is checked (so
   * concurrent guesses cannot all get through). An attempt refused by one limit gets the
   * points it spent on the others back: a throttled attacker does not use up the account's
   * budget, and an owner refused by the account ceiling does not use up their own address's.
   * A trusted device spends a point of its own limit instead of the account's; once that is
   * used up, the attempt falls back to the account ceiling.
   */
  async admit(attempt: LoginAttempt): Promise<LoginAdmission> {
    const spent: Array<[RateLimiter, string]> = [];
    const refundAll = () => Promise.all(spent.map(([l, k]) => l.refund(k)));
    const pair: [RateLimiter, string] = [
      this.limiters.accountAtAddress,
      JSON.stringify([attempt.email, attempt.address]),
    ];
    const address: [RateLimiter, string] = [this.limiters.address, attempt.address];
    for (const [limiter, key] of [pair, address]) {
      const decision = await limiter.consume(key);
      if (!decision.allowed) {
        await refundAll();
        return decision;
      }
      spent.push([limiter, key]);
    }

    let device: [RateLimiter, string] | undefined;
    if (attempt.trustedDevice) {
      const key = attempt.trustedDevice;
      if ((await this.limiters.device.consume(key)).allowed) device = [this.limiters.device, key];
    }
    if (device) {
      spent.push(device);
    } else {
      const account: [RateLimiter, string] = [this.limiters.account, attempt.email];
      const decision = await this.limiters.account.consume(account[1]);
      if (!decision.allowed) {
        await refundAll();
        return decision;
      }
      spent.push(account);
    }

    return {
      allowed: true,
      /**
       * The right password: this address's and this device's failures on the account are
       * forgotten, and the attempt's other points come back. The account's count is not
       * reset, or the owner signing in would hand a distributed attacker a fresh hundred guesses.
       */
      succeeded: async () => {
        await Promise.all([
          pair[0].reset(pair[1]),
          ...(device ? [device[0].reset(device[1])] : []),
          ...spent.filter(([l]) => l !== pair[0] && l !== this.limiters.device).map(([l, k]) => l.refund(k)),
        ]);
      },
    };
  }
}
