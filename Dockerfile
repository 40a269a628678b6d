# The worker image, built the normal way: node:20-slim, npm ci, build (needs the npm registry).
# Without registry access, `npm run docker:image` builds Dockerfile.prebuilt from this machine's
# own build instead (README, Docker). Both give the same image layout: /app/dist, /app/node_modules
# (production only), run as the unprivileged user 1000:1000 (`node` in the official images).
ARG BASE_IMAGE=node:20-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied. The optional
# @tensorflow/tfjs-node then fetches libtensorflow in its own install script; without network that
# fails and the worker falls back to WASM, so its failure must not fail the image.
RUN npm ci --ignore-scripts --no-audit --no-fund \
  && (npm rebuild @tensorflow/tfjs-node || echo "tfjs-node unavailable: the worker will use WASM")
COPY tsconfig.json ./
COPY scripts/post-build.mjs ./scripts/
COPY cli.ts ./
COPY cli ./cli
COPY shared ./shared
COPY worker ./worker
COPY supervisor ./supervisor
COPY tui ./tui
COPY bench ./bench
# Source maps and type declarations are never loaded at run time (236 of 385 MB of production
# node_modules on this lockfile).
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf dist/bench dist/test \
  && find node_modules dist \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \) -delete

FROM ${BASE_IMAGE} AS worker
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Numeric, so it holds on any base image; Compose and Swarm pass the run folders' owner instead.
USER 1000:1000
CMD ["node", "dist/worker/main.js"]
