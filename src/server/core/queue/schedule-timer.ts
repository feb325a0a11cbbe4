import { parseCron } from "./cron.js";
import type { ScheduleSpec } from "./port.js";

/** Validates a spec the same way in both adapters; returns when it next fires after `after`. */
export function scheduleClock(spec: ScheduleSpec): (after: Date) => Date {
  if ("cron" in spec) {
    const cron = parseCron(spec.cron);
    return (after) => cron.next(after);
  }
  if (!Number.isInteger(spec.everyMs) || spec.everyMs < 1) {
    throw new RangeError(`everyMs must be a positive integer, got ${spec.everyMs}`);
  }
  return (after) => new Date(after.getTime() + spec.everyMs);
}

// setTimeout cannot wait longer than 2^31-1 ms (~24.8 days); longer waits are done in hops.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `fire` at every time `spec` names until stopped. Timers are unref'd: a schedule alone
 * must not keep a process alive. `fire` runs one at a time; errors go to `onError`.
 */
export function startScheduleTimer(
  spec: ScheduleSpec,
  fire: () => Promise<void>,
  onError: (error: unknown) => void,
): { stop(): void } {
  const nextAfter = scheduleClock(spec);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const arm = (fireAt: number) => {
    if (stopped) return;
    const wait = Math.max(0, fireAt - Date.now());
    timer = setTimeout(
      () => {
        if (fireAt > Date.now()) return arm(fireAt);
        fire()
          .catch(onError)
          .finally(() => arm(nextAfter(new Date()).getTime()));
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    timer.unref();
  };

  arm(nextAfter(new Date()).getTime());
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
