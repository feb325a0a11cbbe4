import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

/** The API server (`src/server/main.ts`) during development; everything but the client lives there. */
const apiServer = "http://127.0.0.1:3000";
const serverPaths = ["/api", "/healthz", "/readyz", "/metrics", "/webhooks"];

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside every text file of the build, at the
 * strongest settings: done once here, the server sends them as they are (@fastify/static's
 * preCompressed, src/server/http/client-files.ts) instead of compressing on every request.
 */
function precompress(): Plugin {
  const text = /\.(js|css|html|svg|json|txt)$/;
  const brotli = promisify(brotliCompress);
  const gzipped = promisify(gzip);
  return {
    name: "gantry:precompress",
    apply: "build",
    async writeBundle(options, bundle) {
      const outDir = options.dir ?? "dist/client";
      const files = Object.values(bundle).filter((file) => text.test(file.fileName));
      await Promise.all(
        files.map(async (file) => {
          const bytes = Buffer.from(file.type === "chunk" ? file.code : file.source);
          const path = join(outDir, file.fileName);
          const [br, gz] = await Promise.all([
            brotli(bytes, {
              params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
            }),
            gzipped(bytes, { level: 9 }),
          ]);
          // A copy no smaller than the original is not worth a header.
          if (br.length < bytes.length) await writeFile(`${path}.br`, br);
          if (gz.length < bytes.length) await writeFile(`${path}.gz`, gz);
        }),
      );
    },
  };
}

export default defineConfig({
  // index.html sits at the repo root and loads src/client/main.tsx.
  root,
  plugins: [react(), precompress()],
  build: {
    // Served by the Fastify server (config.clientDistDir).
    outDir: "dist/client",
    emptyOutDir: true,
    rolldownOptions: {
      // Brotli at its strongest quality takes most of the build by design (precompress above);
      // Rolldown's report of slow plugins would say so on every build.
      checks: { pluginTimings: false },
      output: {
        // Vendor code in two chunks that change only when a dependency does, so a release of
        // Gantry's own code leaves them in the browser's cache. Pages get a chunk each (router.tsx).
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            {
              name: "data",
              test: /node_modules[\\/](@tanstack[\\/](query-core|react-query)|@trpc|superjson|copy-anything|zustand)[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      // One path for tRPC over HTTP and over WebSocket, as on the server.
      "/trpc": { target: apiServer, ws: true },
      ...Object.fromEntries(serverPaths.map((path) => [path, { target: apiServer }])),
    },
  },
  preview: { port: 4173 },
});
