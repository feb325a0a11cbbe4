/**
 * Minimal five-field cron (`minute hour day-of-month month day-of-week`, UTC) for the in-process
 * queue's schedules; no cron package is installed. Both adapters validate with it, so an
 * expression one accepts the other accepts too. Supports `*`, numbers, ranges `a-b`, steps
 * (`/n` after `*`, a range or a start) and lists `a,b`; day-of-week 0-7, 0 and 7 being Sunday;
 * no names (JAN, MON) and no seconds field. Like Vixie cron, when both day fields are
 * restricted, a day matching either one fires.
 */
export interface CronSchedule {
  readonly expression: string;
  /** The first whole minute strictly after `after` that matches. */
  next(after: Date): Date;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day-of-week", min: 0, max: 7 },
];

export class CronError extends Error {
  override name = "CronError";
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) {
    throw new CronError(`invalid cron "${expression}": expected 5 fields, got ${parts.length}`);
  }
  const [minutes, hours, daysOfMonth, months, rawDaysOfWeek] = FIELDS.map((field, i) =>
    parseField(expression, parts[i] ?? "", field),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  const daysOfWeek = new Set([...rawDaysOfWeek].map((day) => day % 7));
  const eitherDay = !parts[2]?.startsWith("*") && !parts[4]?.startsWith("*");

  const dayMatches = (date: Date): boolean => {
    const byMonthDay = daysOfMonth.has(date.getUTCDate());
    const byWeekDay = daysOfWeek.has(date.getUTCDay());
    return eitherDay ? byMonthDay || byWeekDay : byMonthDay && byWeekDay;
  };

  return {
    expression,
    next(after) {
      let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
      // Jumps a whole month/day/hour when that field does not match, so even "never in this
      // decade" expressions end quickly.
      for (let i = 0; i < 200_000; i++) {
        const d = new Date(t);
        const [y, mo, day, h] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
        if (!months.has(mo + 1)) t = Date.UTC(y, mo + 1, 1);
        else if (!dayMatches(d)) t = Date.UTC(y, mo, day + 1);
        else if (!hours.has(h)) t = Date.UTC(y, mo, day, h + 1);
        else if (!minutes.has(d.getUTCMinutes())) t += 60_000;
        else return d;
      }
      throw new CronError(`cron "${expression}" never fires`);
    },
  };
}

function parseField(expression: string, text: string, field: FieldSpec): Set<number> {
  const fail = (why: string) => new CronError(`invalid cron "${expression}": ${field.name} "${text}" ${why}`);
  const values = new Set<number>();
  for (const item of text.split(",")) {
    const match = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(item);
    if (!match) throw fail("is not a number, range or step");
    const [, range = "", stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw fail("has a zero step");
    let from = field.min;
    let to = field.max;
    if (range !== "*") {
      const [a = "", b] = range.split("-");
      from = Number(a);
      // "5/15" means from 5 to the end in steps of 15, as in Vixie cron.
      to = b === undefined ? (stepText === undefined ? from : field.max) : Number(b);
    }
    if (from < field.min || to > field.max || from > to) {
      throw fail(`is outside ${field.min}-${field.max}`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}
