import { existsSync } from "node:fs";
import { resolve, sep } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

/** Vite names every file under assets/ after its content hash, so its bytes never change. */
const HASHED_ASSET = `${sep}assets${sep}`;
const FOREVER = "public, max-age=31536000, immutable";
/** index.html names the current hashed files: the browser must ask again on every visit. */
const ALWAYS_REVALIDATE = "no-cache";

function setCacheControl(reply: FastifyReply, path: string): void {
  reply.header("cache-control", path.includes(HASHED_ASSET) ? FOREVER : ALWAYS_REVALIDATE);
}

/**
 * Serves the built client, with the SPA's index.html for any other page URL. The build writes
 * a Brotli (.br) and a gzip (.gz) copy beside each text file (vite.config.ts), and the copy the
 * browser accepts is sent as is: no compression work per request (decision 0012).
 */
export async function serveClient(server: FastifyInstance, distDir: string): Promise<void> {
  const root = resolve(distDir);
  const hasClient = existsSync(resolve(root, "index.html"));
  if (hasClient) {
    await server.register(fastifyStatic, {
      root,
      wildcard: false,
      // A list, not a string: with preCompressed, @fastify/static looks an index up only in a list.
      index: ["index.html"],
      preCompressed: true,
      // The compressed copies are reached only by content negotiation on their original's URL.
      globIgnore: ["**/*.br", "**/*.gz"],
      cacheControl: false,
      setHeaders: setCacheControl,
    });
  }

  server.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === "GET" &&
      (request.headers.accept ?? "").includes("text/html") &&
      !/^\/(trpc|api|webhooks)(\/|$)/.test(request.url);
    if (wantsPage && hasClient) return reply.type("text/html").sendFile("index.html");
    if (wantsPage) {
      return reply
        .status(503)
        .type("text/plain")
        .send("The client is not built yet: run `npm run build` (npm start does this for you).");
    }
    return reply
      .status(404)
      .send({ error: { code: "NOT_FOUND", message: `No route for ${request.method} ${request.url}` } });
  });
}
