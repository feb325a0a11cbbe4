import type { StorageUsage } from "../../../shared/schemas/pipelines";

const UNITS = ["bytes", "KB", "MB", "GB", "TB"];

/** "312 MB", "1 GB", "1.5 KB": binary units, a decimal only where it says something. */
export function compactBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} ${UNITS[0]}`;
  const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${shown} ${UNITS[unit]}`;
}

/** "312 MB of 1 GB, 12 of 100 data sets" */
export function usageSummary(usage: StorageUsage): string {
  const sets = `${usage.datasets.toLocaleString()} of ${usage.maxDatasets.toLocaleString()} data sets`;
  return `${compactBytes(usage.usedBytes)} of ${compactBytes(usage.limitBytes)}, ${sets}`;
}

/**
 * What the user can still do: at a limit, uploads and runs are refused (the server says so
 * too); near one (90%), a warning. The message names what to do about it.
 */
export function usageWarning(usage: StorageUsage): { level: "full" | "near"; message: string } | null {
  if (usage.usedBytes >= usage.limitBytes) {
    return { level: "full", message: "Your storage is full: delete data sets to upload or run pipelines again." };
  }
  if (usage.datasets >= usage.maxDatasets) {
    return { level: "full", message: "You have as many data sets as you may: delete some to upload or run more." };
  }
  if (usage.usedBytes >= usage.limitBytes * 0.9 || usage.datasets >= usage.maxDatasets * 0.9) {
    return { level: "near", message: "You are close to your limits: new uploads or outputs may not fit." };
  }
  return null;
}
