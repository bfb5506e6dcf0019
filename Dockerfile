# Trajan's model server: `trajan serve` over a model repository mounted at /models
# (MODEL_DIR/NAME/VERSION/model.{pfa,json,yaml,pmml}; docs/serving.md, docs/deploy.md).
#
#   docker build -t trajan .
#   docker run -p 8080:8080 -v "$PWD/models:/models:ro" trajan

# Build: compile the TypeScript and pack the package as npm would publish it.
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build && npm pack --ignore-scripts --pack-destination /tmp

# Run: the packed package installed with its runtime dependencies only (the server's optional
# ones included), no sources, no compiler, no dev dependencies.
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /tmp/trajan-*.tgz /tmp/
RUN npm install --global --no-audit --no-fund /tmp/trajan-*.tgz \
 && rm /tmp/trajan-*.tgz \
 && npm cache clean --force \
 && mkdir /models && chown node:node /models

# The image's unprivileged user (uid 1000).
USER node
EXPOSE 8080
VOLUME ["/models"]

# Liveness route of the KServe v2 protocol, which the server always speaks.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/v2/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Listen on every interface (a container's port is reached from outside it); more flags after the
# image name are appended, e.g. `docker run ... trajan --strict-readiness`.
ENTRYPOINT ["trajan", "serve", "/models", "--host", "0.0.0.0", "--port", "8080"]
