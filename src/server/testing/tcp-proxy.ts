import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy between the app and a shared service, so a test can inject the faults an
 * operator sees (a dropped link, a service that goes silent) without touching the machine's
 * real server:
 * - `cut()` drops every connection and refuses new ones (a crash, a closed port);
 * - `silence()` keeps every connection open but forwards nothing either way, and new
 *   connections hang unanswered (a partition, a wedged server): nothing fails, nothing answers;
 * - `restore()` goes back to forwarding. Bytes held back while silent are dropped, as a
 *   partition would lose them; connections that were silenced stay silent (their streams are
 *   no longer in sync), so clients must notice and reconnect.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly silenced = new WeakSet<Socket>();
  private state: "open" | "cut" | "silent" = "open";

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Starts listening on an ephemeral port of 127.0.0.1 and returns it. */
  async start(): Promise<number> {
    this.server = createServer((client) => {
      if (this.state === "cut") {
        client.destroy();
        return;
      }
      this.track(client);
      if (this.state === "silent") {
        this.silenced.add(client);
        client.on("data", () => {});
        client.on("error", () => {});
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      this.track(upstream);
      this.forward(client, upstream);
      this.forward(upstream, client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("error", close);
      upstream.on("error", close);
      client.on("close", close);
      upstream.on("close", close);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return this.port;
  }

  get port(): number {
    if (!this.server) throw new Error("proxy not started");
    return (this.server.address() as AddressInfo).port;
  }

  /** Drops every live connection and refuses new ones until `restore()`. */
  cut(): void {
    this.state = "cut";
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Keeps connections open but lets no byte through; new connections are accepted and hang. */
  silence(): void {
    this.state = "silent";
    for (const socket of this.sockets) this.silenced.add(socket);
  }

  /** Forwards again; connections silenced earlier are closed so their clients reconnect cleanly. */
  restore(): void {
    this.state = "open";
    for (const socket of this.sockets) if (this.silenced.has(socket)) socket.destroy();
  }

  /** How many connections pass through the proxy now (both sides counted once each). */
  get connections(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private forward(from: Socket, to: Socket): void {
    from.on("data", (chunk: Buffer) => {
      if (this.silenced.has(from) || this.silenced.has(to)) return;
      to.write(chunk);
    });
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
  }
}

/** Rewrites a service URL to go through the proxy on `port`. */
export function viaProxy(serviceUrl: string, port: number): string {
  const url = new URL(serviceUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return url.toString();
}
