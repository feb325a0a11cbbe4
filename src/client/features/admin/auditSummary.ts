/** Keeps one table row to one line; the full payload is in the row's title. */
const MAX_SUMMARY = 120;
const MAX_VALUE = 40;

function shortValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE - 1)}…` : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "[]" : `[${value.length}]`;
  return "{…}";
}

/** `userId=… from=user to=guest`: what an event was about, at a glance. */
export function summarizePayload(payload: unknown): string {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return shortValue(payload);
  const text = Object.entries(payload)
    .map(([key, value]) => `${key}=${shortValue(value)}`)
    .join(" ");
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}

/** "user 3f2a…", "system admin-bootstrap", "anonymous". */
export function describeActor(kind: string, id: string | null): string {
  if (!id) return kind;
  const shown = /^[0-9a-f-]{36}$/i.test(id) ? `${id.slice(0, 8)}…` : id;
  return `${kind} ${shown}`;
}
