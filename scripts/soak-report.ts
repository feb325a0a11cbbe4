/** What the soak measured, and how it is judged and printed. */

export interface FaultWindow {
  service: string;
  /** ms since the load started. */
  from: number;
  to: number;
}

export interface Sample {
  op: string;
  /** ms since the load started. */
  start: number;
  end: number;
  status: number;
  code: string;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** The fault a call overlapped (plus `graceMs` after each cut for clients to reconnect), if any. */
export function faultOf(sample: Sample, windows: readonly FaultWindow[], graceMs: number): string | undefined {
  return windows.find((w) => sample.start <= w.to + graceMs && sample.end >= w.from)?.service;
}

const isServerError = (s: Sample) => s.status >= 500 || (s.status === 0 && s.code !== "NO_ANSWER");

export interface Verdict {
  serverErrorsOutside: number;
  unanswered: number;
  lines: string[];
}

export function judge(samples: readonly Sample[], windows: readonly FaultWindow[], graceMs: number): Verdict {
  const lines: string[] = [];
  const latencies = (list: readonly Sample[]) => list.map((s) => s.end - s.start).sort((a, b) => a - b);
  const row = (name: string, list: readonly Sample[]) => {
    const ms = latencies(list);
    const f = (p: number) => `${percentile(ms, p).toFixed(0).padStart(6)}`;
    return `${name.padEnd(20)} ${String(list.length).padStart(7)} ${f(50)} ${f(95)} ${f(99)}`;
  };
  lines.push(
    `${"latency (ms)".padEnd(20)} ${"calls".padStart(7)} ${"p50".padStart(6)} ${"p95".padStart(6)} ${"p99".padStart(6)}`,
  );
  lines.push(row("all", samples));
  lines.push(
    row(
      "all, outside faults",
      samples.filter((s) => !faultOf(s, windows, graceMs)),
    ),
  );
  for (const op of [...new Set(samples.map((s) => s.op))].sort())
    lines.push(
      row(
        op,
        samples.filter((s) => s.op === op),
      ),
    );

  // Errors by status, split by whether the call overlapped a fault window.
  const errors = new Map<string, { inside: number; outside: number }>();
  for (const s of samples) {
    if (s.status >= 200 && s.status < 300) continue;
    const key = s.status === 0 ? s.code : `${s.status} ${s.code}`;
    const entry = errors.get(key) ?? { inside: 0, outside: 0 };
    if (faultOf(s, windows, graceMs)) entry.inside += 1;
    else entry.outside += 1;
    errors.set(key, entry);
  }
  lines.push("", `${"errors".padEnd(34)} ${"in fault".padStart(9)} ${"outside".padStart(9)}`);
  if (errors.size === 0) lines.push("(none)");
  for (const [key, n] of [...errors].sort()) {
    lines.push(`${key.padEnd(34)} ${String(n.inside).padStart(9)} ${String(n.outside).padStart(9)}`);
  }
  for (const w of windows) {
    const inside = samples.filter((s) => faultOf(s, [w], graceMs));
    const failed = inside.filter(isServerError).length;
    lines.push(
      `fault ${w.service.padEnd(10)} ${(w.from / 1000).toFixed(0)}s-${(w.to / 1000).toFixed(0)}s: ${inside.length} calls, ${failed} 5xx/no connection`,
    );
  }
  const outside = samples.filter((s) => isServerError(s) && !faultOf(s, windows, graceMs));
  const unanswered = samples.filter((s) => s.code === "NO_ANSWER");
  lines.push("", `calls without an answer in 15 s: ${unanswered.length}`);
  for (const s of unanswered.slice(0, 10)) {
    lines.push(
      `  ${s.op} at ${(s.start / 1000).toFixed(1)}s${faultOf(s, windows, graceMs) ? ` (during ${faultOf(s, windows, graceMs)})` : ""}`,
    );
  }
  lines.push(`5xx / no connection outside fault windows: ${outside.length}`);
  for (const s of outside.slice(0, 10))
    lines.push(`  ${s.op} at ${(s.start / 1000).toFixed(1)}s: ${s.status} ${s.code}`);
  return { serverErrorsOutside: outside.length, unanswered: unanswered.length, lines };
}

export const mb = (bytes: number | undefined) =>
  bytes === undefined ? "gone" : `${(bytes / 1024 / 1024).toFixed(0)} MB`;
