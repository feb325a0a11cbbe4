/** Figures as the table shows them: 3.2k req/s, 293 µs, 390 MB. */
export function perSecond(value: number, unit = "req/s"): string {
  return value >= 10_000
    ? `${(value / 1000).toFixed(1)}k ${unit}`
    : value >= 1000
      ? `${(value / 1000).toFixed(2)}k ${unit}`
      : `${Math.round(value)} ${unit}`;
}

export function micros(value: number): string {
  return `${Math.round(value).toLocaleString("en")} µs`;
}

export function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2)} MB`;
}

export function milliseconds(ms: number): string {
  return `${Math.round(ms).toLocaleString("en")} ms`;
}

/** "≥ 0.35×" / "≤ 1.25×" checks, so each case states its aim once. */
export function atLeast(ratio: number, aim: number): { aim: string; met: boolean } {
  return { aim: `≥ ${aim}×`, met: ratio >= aim };
}

export function atMost(ratio: number, aim: number): { aim: string; met: boolean } {
  return { aim: `≤ ${aim}×`, met: ratio <= aim };
}
