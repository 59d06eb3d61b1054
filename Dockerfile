# One image recipe for the five pipeline services (docs/design.md §2); the service is a build argument:
#
#   docker build --build-arg SERVICE=timeseries-preprocessing -t polluscope/timeseries-preprocessing .
#
# docker-compose.services.yml builds all five from this file. The runtime image holds the
# service's compiled code, @polluscope/common, the production dependencies, schemas/ and models/
# in the repository's layout (the services find schemas/ and models/ from services/common/dist).

# Node 24 LTS (Node 20 reached end of life in April 2026; its images are no longer rebuilt).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# Workspace manifests, in their folders: npm ci checks the lock file against every workspace.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY services/common/package.json services/common/
COPY services/timeseries-preprocessing/package.json services/timeseries-preprocessing/
COPY services/classification-validation/package.json services/classification-validation/
COPY services/gps-preprocessing/package.json services/gps-preprocessing/
COPY services/stop-move-detection/package.json services/stop-move-detection/
COPY services/postprocessing/package.json services/postprocessing/
COPY console/package.json console/
COPY cli/package.json cli/

# ---- build: every dependency (TypeScript included), then `tsc -b` of the service ----
FROM manifests AS build
ARG SERVICE
RUN test -n "${SERVICE}" && test -f "services/${SERVICE}/package.json" \
 || { echo "build argument SERVICE must name a folder under services/ (got '${SERVICE}')" >&2; exit 1; }
# --ignore-scripts: the root `prepare` script compiles everything, before the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund
# The sources (.dockerignore keeps node_modules, dist and local files out).
COPY . .
# models/ holds the default model files; an empty folder when the repository has none yet.
RUN mkdir -p models
RUN npx tsc -b "services/${SERVICE}" \
 && test -f "services/${SERVICE}/dist/server.js" \
 && printf "import './services/%s/dist/server.js';\n" "${SERVICE}" > service.js

# ---- deps: production dependencies of the service's workspace only ----
FROM manifests AS deps
ARG SERVICE
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace "services/${SERVICE}"

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    POLLUSCOPE_SERVICE=${SERVICE}
WORKDIR /app
COPY --from=deps /app/package.json ./package.json
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/services/common/package.json services/common/package.json
COPY --from=build /app/services/common/dist services/common/dist
COPY --from=build /app/services/${SERVICE}/package.json services/${SERVICE}/package.json
COPY --from=build /app/services/${SERVICE}/dist services/${SERVICE}/dist
COPY --from=build /app/schemas schemas
COPY --from=build /app/models models
COPY --from=build /app/service.js service.js
# The files belong to root; the service runs as the image's unprivileged `node` user.
USER node
# PORT is set per service by the compose file (docs/design.md §2); the check reads the same variable.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "service.js"]
