import type { APIRequestContext } from "@playwright/test";

/**
 * Calls a tRPC mutation over plain HTTP, as a typed client would (superjson wire format),
 * to set up accounts without clicking through the UI. A bearer token stands in for the
 * browser's cookie.
 */
export async function mutate<T>(request: APIRequestContext, path: string, input: unknown, token?: string): Promise<T> {
  const response = await request.post(`/trpc/${path}`, {
    data: { json: input },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const body = (await response.json()) as { result?: { data?: { json?: T } }; error?: { json?: { message?: string } } };
  if (!response.ok() || body.result?.data?.json === undefined) {
    throw new Error(`${path} failed (${response.status()}): ${body.error?.json?.message ?? JSON.stringify(body)}`);
  }
  return body.result.data.json;
}

export interface AuthAnswer {
  user: { id: string; email: string; name: string; role: string };
  accessToken: string;
}

/** A tRPC query over plain HTTP (superjson wire format), as `mutate` does for mutations. */
export async function query<T>(request: APIRequestContext, path: string, input: unknown, token: string): Promise<T> {
  const response = await request.get(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { result?: { data?: { json?: T } } };
  if (!response.ok() || body.result?.data?.json === undefined) throw new Error(`${path} failed (${response.status()})`);
  return body.result.data.json;
}
