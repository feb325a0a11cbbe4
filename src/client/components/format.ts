/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": precise enough to tell a restart from a long run. */
export function formatUptime(totalSeconds: number): string {
  const seconds = Math.floor(totalSeconds);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** Wall-clock time in the user's locale, to the second. */
export function formatClock(date: Date): string {
  return clockFormat.format(date);
}
