import { transform } from "esbuild";
import { defineConfig, type Plugin } from "vitest/config";

/**
 * Vite 8 transforms TypeScript with Oxc, which strips types but leaves standard (TC39) decorators
 * in place, and Node 20 cannot parse them. Production runs under tsx (esbuild), which lowers them,
 * so the few source files that use decorators (`@cached` on service methods) go through esbuild
 * here too: tests then run the very transform production runs. (esbuild comes with tsx and vite.)
 */
const lowerDecorators: Plugin = {
  name: "gantry:lower-tc39-decorators",
  enforce: "pre",
  async transform(code, id) {
    if (!/\.ts$/.test(id) || id.includes("/node_modules/") || !/(?:^|[{};])\s*@[A-Za-z_$]/m.test(code)) return null;
    const result = await transform(code, {
      loader: "ts",
      sourcefile: id,
      sourcemap: "external",
      target: "node20",
      format: "esm",
      // Same class-field semantics as tsconfig.base.json (target ES2023).
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: true } },
    });
    return { code: result.code, map: result.map };
  },
};

// Three projects: fast unit tests (embedded adapters only), screens (`*.test.tsx`: React
// Testing Library in jsdom against one embedded test server, decision 0018) and integration
// tests that talk to the real PostgreSQL, Redis and RabbitMQ (`*.int.test.ts`). Playwright
// lives in e2e/.
export default defineConfig({
  plugins: [lowerDecorators],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts"],
          exclude: ["src/**/*.int.test.ts", "node_modules/**"],
          environment: "node",
          testTimeout: 20_000,
          // PGlite apps take seconds to start, more on a loaded 2-core machine.
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "dom",
          include: ["src/**/*.test.tsx"],
          environment: "jsdom",
          // The server runs in Node (it cannot run in jsdom); each file is one browser.
          globalSetup: ["src/server/testing/screen-test-server.ts"],
          setupFiles: ["src/client/testing/browser.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["src/**/*.int.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
