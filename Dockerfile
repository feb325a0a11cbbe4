# syntax=docker/dockerfile:1
# Gantry's production image (decision 0012). The build stage runs exactly `npm ci` and
# `npm run build`, the commands src/server/build.test.ts runs; the final stage holds the
# compiled output, the migrations and production dependencies only, and runs as `node`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# The install step is cached until the lockfile changes; postinstall patches postgres.js.
COPY package.json package-lock.json ./
COPY scripts/patch-postgres.mjs scripts/
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
# Owned by root and read-only to the app: only /data is writable (uploads, embedded files).
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/drizzle ./drizzle
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# /healthz answers as soon as the process serves requests; /readyz would also fail on a
# database outage, which is not a reason to restart the container.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The worker runs the same image with `node dist/server/worker.js` (compose.yaml).
CMD ["node", "dist/server/main.js"]
