import type { JobHandlers } from "../../core/queue/port.js";
// The job payload is declared next to its producer, password-reset.ts.
import type { AuthService } from "./auth-service.js";

export function authJobHandlers(auth: AuthService): Pick<JobHandlers, "auth.password-reset-mail"> {
  return {
    "auth.password-reset-mail": async (job) => {
      await auth.sendPasswordReset(job.data.email);
    },
  };
}
