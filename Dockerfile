# Multi-stage build: compile TypeScript with the dev dependencies, ship only production ones.
# Node 24 LTS, the version .nvmrc names and CI tests the whole suite on; slim Debian 13 (trixie).
FROM node:24.22.3-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY otel ./otel
COPY src ./src
COPY scripts ./scripts
RUN npm run build

FROM node:24.22.3-trixie-slim
ENV NODE_ENV=production PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY otel/defaults.env ./otel/defaults.env
# The incident flags, all off; compose and Kubernetes mount the folder over this copy.
COPY deploy/flags ./deploy/flags
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The same command as `npm start`, without npm in between, so SIGTERM reaches the service.
# --max-semi-space-size=8: see bench/NOTES.md ("Where the memory goes"); --env-file: the SDK
# defaults the service changes (otel/defaults.env).
CMD ["node", "--max-semi-space-size=8", "--env-file=otel/defaults.env", "--import", "./dist/otel/register.js", "dist/src/server.js"]
