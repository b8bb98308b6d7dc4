# syntax=docker/dockerfile:1
# Multi-stage build: compile in a full Node image, run as a non-root user in a slim one.
FROM node:20.20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ormconfig.ts ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20.20-bookworm-slim AS runtime
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
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/v1/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
