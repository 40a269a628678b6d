# The worker image: the same code as the local runtime, compiled, run with plain node.
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied. The optional
# @tensorflow/tfjs-node then fetches libtensorflow in its own install script; without network that
# fails and the worker falls back to the WASM backend, so its failure must not fail the image.
RUN npm ci --ignore-scripts --no-audit --no-fund \
  && (npm rebuild @tensorflow/tfjs-node || echo "tfjs-node unavailable: the worker will use WASM")
COPY . .
RUN npm run build
ENV NODE_ENV=production
CMD ["node", "dist/worker/main.js"]
