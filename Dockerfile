# Switchboard's production image: compiled JavaScript on Node 24, production dependencies only (no TypeScript, no
# tsx), as the unprivileged `node` user. The README's "Operations guide" says how to configure and run it.
#
#   docker build -t switchboard .
#   docker run -p 4000:4000 -e LOANPRO_BASE_URL=... -e AUTH_MODE=apikey -e API_KEYS=... switchboard

# Build stage: every dependency (TypeScript among them), then `npm run build` (src/ to dist/).
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: package.json (it makes dist/*.js ES modules), the production dependencies, the build output.
FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# DATA_DIR (./data) holds the SQLite store when DATABASE_URL is unset: writable by the user the gateway runs as.
RUN mkdir -p data && chown node:node data
USER node
# PORT (GraphQL, /healthz, /readyz) and METRICS_PORT (/metrics in production); HOST is 0.0.0.0 in production.
EXPOSE 4000 9464
# No curl in slim images: node asks /healthz itself.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 4000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# npm start:prod's command. node is PID 1: the gateway handles SIGTERM itself (drains, then exits).
CMD ["node", "--max-semi-space-size=16", "--heap-growing-percent=50", "dist/main.js"]
