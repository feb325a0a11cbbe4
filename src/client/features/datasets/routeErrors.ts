/**
 * Messages for the data set routes that are plain HTTP rather than tRPC (upload, export).
 * They answer errors as `{ error: { code, message } }` with a message worded for people.
 */
export function routeErrorMessage(status: number, body: string, action: "upload" | "download"): string {
  const message = serverMessage(body);
  if (status === 0) return "Cannot reach the server. Check your connection and try again.";
  if (status === 401) return message ?? `Please sign in again to ${action}.`;
  return message ?? `The ${action} failed (HTTP ${status}). Please try again.`;
}

function serverMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (!parsed || typeof parsed !== "object" || !("error" in parsed)) return undefined;
    const error = parsed.error;
    if (error && typeof error === "object" && "message" in error && typeof error.message === "string") {
      return error.message;
    }
  } catch {
    // Not JSON (a proxy's error page): the status says what there is to say.
  }
  return undefined;
}

/** The file name a download announces (`attachment; filename="sales.csv"`), if it announces one. */
export function attachmentName(contentDisposition: string | null): string | null {
  const match = contentDisposition?.match(/filename="?([^";]+)"?/i);
  return match?.[1]?.trim() || null;
}
