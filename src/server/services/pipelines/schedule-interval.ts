import type { CronSchedule } from "../../core/queue/cron.js";

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
const DAY_MS = DAY_MINUTES * MINUTE_MS;
/** Every combination of weekday, day of month and leap year comes round within 28 years. */
const HORIZON_DAYS = 28 * 366;

/**
 * The shortest time, in minutes, between two consecutive firings of `schedule` (UTC, from
 * `from` on). Looking at the next few firings is not enough: `0,59 0,23 * * 1,2` fires a minute
 * apart only around Monday midnight. The cron's hours and minutes are the same on every day it
 * fires, so the gaps are those between the times of one such day, and those across midnight
 * between two firing days, shortest when the days are closest: those are found by walking the
 * firing days over a 28-year calendar cycle, one `next` per day, and only when they could be
 * the shortest. Throws the parser's CronError when the schedule never fires.
 */
export function shortestGapMinutes(schedule: CronSchedule, from: Date = new Date()): number {
  const first = schedule.next(from);
  const dayStart = startOfDay(first);
  const times: number[] = [];
  for (let at = schedule.next(new Date(dayStart - MINUTE_MS)); at.getTime() < dayStart + DAY_MS; ) {
    times.push((at.getTime() - dayStart) / MINUTE_MS);
    at = schedule.next(at);
  }
  const earliest = times[0] ?? 0;
  const latest = times[times.length - 1] ?? 0;
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < times.length; i++) shortest = Math.min(shortest, (times[i] ?? 0) - (times[i - 1] ?? 0));

  // Across midnight the gap is days * 1440 - (latest - earliest): only days 1 apart can beat `shortest`.
  const acrossMidnight = (days: number) => days * DAY_MINUTES - (latest - earliest);
  if (acrossMidnight(1) >= shortest) return shortest;
  let day = dayStart;
  let closestDays = Number.POSITIVE_INFINITY;
  while (day - dayStart < HORIZON_DAYS * DAY_MS && closestDays > 1) {
    const nextDay = startOfDay(schedule.next(new Date(day + latest * MINUTE_MS)));
    closestDays = Math.min(closestDays, Math.round((nextDay - day) / DAY_MS));
    day = nextDay;
  }
  return Math.min(shortest, acrossMidnight(closestDays));
}

function startOfDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}
