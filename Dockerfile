# One image for both roles: `npm start` (API, applies migrations) and `npm run start:worker` (BullMQ workers).
# docker compose up --build   (see docker-compose.yml)

FROM node:20-slim AS build
WORKDIR /app
# argon2 ships a prebuilt binary for linux-x64 glibc; python3/make/g++ are only a fallback for other platforms.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm ci runs `prepare` (nest build), which needs the sources: install without scripts, then rebuild natives.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild argon2 msgpackr-extract
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /data/media && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# = `npm start`, but node runs as PID 1 itself: npm 11 exits on SIGTERM without passing it on, which would skip
# the graceful shutdown (in-flight requests, jobs). The worker service runs node dist/src/worker.js (= start:worker).
CMD ["node", "dist/src/main.js"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
