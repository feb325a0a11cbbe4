/**
 * Sign-in throughput: auth.login with the right password (argon2id verify, the throttle's
 * Redis points, a session row, a signed token) against the raw argon2id ceiling, the same
 * parameters verified on the same pinned core with nothing around them. Aim: at least 0.8× —
 * argon2 is meant to be the whole cost of a sign-in.
 */
import type { BenchCase } from "../case.js";
import { atLeast, perSecond } from "../harness/format.js";
import { startGantry } from "../harness/gantry.js";
import { loadRound, warmUp } from "../harness/load.js";
import { alternate, log } from "../harness/rounds.js";
import { startServer } from "../harness/server.js";

const PASSWORD = "a perfectly fine passphrase";

const benchCase: BenchCase = {
  name: "login",
  // A sign-in costs tens of milliseconds of argon2: enough rounds to mean anything take minutes.
  quick: false,
  async run({ quick }) {
    const rounds = quick ? 2 : 5;
    const seconds = quick ? 3 : 5;
    const gantry = await startGantry();
    const argon2 = await startServer("argon2id", "bench/harness/baselines/argon2-verify.ts", {}).catch(
      async (error: unknown) => {
        await gantry.close();
        throw error;
      },
    );
    try {
      const email = "login@bench.test";
      await gantry.call("mutation", "auth.signup", { email, password: PASSWORD, name: "Login" });
      const json = { "content-type": "application/json" };
      const login = {
        server: gantry.server,
        path: "/trpc/auth.login",
        method: "POST" as const,
        headers: json,
        body: JSON.stringify({ json: { email, password: PASSWORD } }),
      };
      const raw = {
        server: argon2,
        path: "/verify",
        method: "POST" as const,
        headers: json,
        body: JSON.stringify({ password: PASSWORD }),
      };
      // argon2 holds a thread-pool thread per verify: a few connections already fill the core.
      await warmUp(login, 2, 4);
      await warmUp(raw, 2, 4);
      const result = await alternate(
        rounds,
        () => loadRound(login, seconds, 4),
        () => loadRound(raw, seconds, 4),
        (r) => r.requestsPerSecond,
      );
      log(
        `login rounds: Gantry ${result.all.a.map(Math.round).join(", ")} / argon2 ${result.all.b.map(Math.round).join(", ")} per s`,
      );
      const ratio = result.a / result.b;
      return [
        {
          what: "sign-ins vs raw argon2id verifies, same core",
          gantry: perSecond(result.a, "logins/s"),
          baseline: perSecond(result.b, "verifies/s"),
          ratio,
          ...atLeast(ratio, 0.8),
        },
      ];
    } finally {
      await argon2.stop();
      await gantry.close();
    }
  },
};
export default benchCase;
