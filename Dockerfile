# SHaRON production image. Build: docker build -t sharon .
# Runs against an external PostgreSQL (DATABASE_URL); the embedded one is for development.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
# pg_dump and pg_restore for `npm run backup` / `npm run restore` (Debian bookworm: PostgreSQL 15).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json knexfile.ts tsconfig.json ./
COPY src ./src
COPY views ./views
COPY public ./public
COPY migrations ./migrations
COPY seeds ./seeds
RUN mkdir -p /var/lib/sharon/uploads && chown node:node /var/lib/sharon/uploads
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# tsx runs the TypeScript sources directly; SIGTERM reaches node for a graceful shutdown.
CMD ["node", "--import", "tsx", "src/server.ts"]
