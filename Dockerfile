# One image for every app; the entrypoint is chosen per container (see docker-compose.yml and k8s/).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Fixes of dependencies applied by postinstall (patch-package), see patches/.
COPY patches patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
COPY avro-schemas avro-schemas
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/package.json package.json
# @ledger/schemas finds the event schemas here, beside dist/ (ops-cli setup and the apps register them).
COPY avro-schemas avro-schemas
# Mount point of the local token keys (docker-compose.yml): a fresh volume takes this owner.
RUN mkdir /auth && chown node:node /auth
USER node
CMD ["node", "dist/apps/command-service/src/main.js"]
