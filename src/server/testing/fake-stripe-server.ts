import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Test-only: a small Stripe-shaped HTTP API (this machine cannot reach Stripe). It speaks the
 * wire format the official SDK uses (form-encoded requests, JSON answers, Stripe's error
 * shape), honours `Idempotency-Key` as Stripe does, and records every request it receives.
 *
 * Test cards: `pm_card_visa` succeeds at once, `pm_fake_async` stays processing (the outcome
 * comes by webhook), `pm_card_chargeDeclined` is a 402 card error, any other `pm_…` is unknown.
 * A refund of 777 minor units stays pending. `failNext` makes the next requests answer 500.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  params: URLSearchParams;
}

interface Intent {
  id: string;
  object: "payment_intent";
  amount: number;
  currency: string;
  status: string;
  metadata: Record<string, string>;
  last_payment_error: { code: string; decline_code?: string; message: string } | null;
  cancellation_reason: null;
}

export class FakeStripeServer {
  readonly requests: RecordedRequest[] = [];
  readonly intents = new Map<string, Intent>();
  /** Refunds made, by id. */
  readonly refunds = new Map<
    string,
    { id: string; amount: number; status: string; metadata: Record<string, string> }
  >();
  /** Answers 500 to this many further requests (the SDK retries them with the same key). */
  failNext = 0;
  private readonly replies = new Map<string, { status: number; body: unknown }>();
  private server: Server | undefined;

  constructor(private readonly secretKey: string) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Requests to one endpoint, e.g. `/v1/payment_intents`. */
  calls(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const params = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const path = (request.url ?? "").split("?")[0] ?? "";
    const idempotencyKey = header(request, "idempotency-key");
    const authorization = header(request, "authorization");
    this.requests.push({ method: request.method ?? "", path, authorization, idempotencyKey, params });

    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", "request-id": `req_${id()}`, ...headers });
      response.end(JSON.stringify(body));
    };
    if (authorization !== `Bearer ${this.secretKey}`) {
      return send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided." } });
    }
    if (this.failNext > 0) {
      this.failNext -= 1;
      return send(500, { error: { type: "api_error", message: "Something went wrong on Stripe's end." } });
    }
    // As Stripe: the same key replays the first answer, whatever the new request says.
    const replayed = idempotencyKey ? this.replies.get(idempotencyKey) : undefined;
    if (replayed) return send(replayed.status, replayed.body, { "idempotent-replayed": "true" });

    const reply =
      request.method === "POST" && path === "/v1/payment_intents"
        ? this.createIntent(params)
        : request.method === "POST" && path === "/v1/refunds"
          ? this.createRefund(params)
          : {
              status: 404,
              body: { error: { type: "invalid_request_error", message: `Unrecognized request URL (${path}).` } },
            };
    if (idempotencyKey) this.replies.set(idempotencyKey, reply);
    send(reply.status, reply.body);
  }

  private createIntent(params: URLSearchParams): { status: number; body: unknown } {
    const paymentMethod = params.get("payment_method") ?? "";
    const intent: Intent = {
      id: `pi_${id()}`,
      object: "payment_intent",
      amount: Number(params.get("amount")),
      currency: params.get("currency") ?? "",
      status: "requires_payment_method",
      metadata: metadataOf(params),
      last_payment_error: null,
      cancellation_reason: null,
    };
    if (paymentMethod === "pm_card_visa") intent.status = "succeeded";
    else if (paymentMethod === "pm_fake_async") intent.status = "processing";
    else if (paymentMethod === "pm_card_chargeDeclined") {
      const error = { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
      intent.last_payment_error = error;
      this.intents.set(intent.id, intent);
      return { status: 402, body: { error: { type: "card_error", ...error, payment_intent: intent } } };
    } else {
      return {
        status: 400,
        body: {
          error: {
            type: "invalid_request_error",
            code: "resource_missing",
            param: "payment_method",
            message: `No such PaymentMethod: '${paymentMethod}'`,
          },
        },
      };
    }
    this.intents.set(intent.id, intent);
    return { status: 200, body: intent };
  }

  private createRefund(params: URLSearchParams): { status: number; body: unknown } {
    const intent = this.intents.get(params.get("payment_intent") ?? "");
    if (!intent) {
      return {
        status: 400,
        body: { error: { type: "invalid_request_error", code: "resource_missing", message: "No such payment_intent" } },
      };
    }
    const amount = Number(params.get("amount") ?? intent.amount);
    const refund = {
      id: `re_${id()}`,
      object: "refund",
      amount,
      currency: intent.currency,
      payment_intent: intent.id,
      status: amount === 777 ? "pending" : "succeeded",
      metadata: metadataOf(params),
      failure_reason: null,
    };
    this.refunds.set(refund.id, refund);
    return { status: 200, body: refund };
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function metadataOf(params: URLSearchParams): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of params) {
    const match = /^metadata\[(.+)\]$/.exec(key);
    if (match?.[1]) metadata[match[1]] = value;
  }
  return metadata;
}

const id = () => randomBytes(12).toString("hex");
