# kubesphere-graphql: a GraphQL facade over ks-apiserver.
#   docker build -t kubesphere-graphql:0.1.0 .
#   docker run --rm -p 4000:4000 -e KUBESPHERE_URL=http://ks-apiserver.kubesphere-system.svc kubesphere-graphql:0.1.0
# Node 24 runs the TypeScript sources directly (type stripping), so there is
# no build stage: the image holds bin/, src/, schema/ and production
# dependencies only (no devDependencies, no tests, no simulator/: set
# KUBESPHERE_URL, since the facade loads the simulator only when it is unset).
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no production dependency needs an install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:24-slim
LABEL org.opencontainers.image.title="kubesphere-graphql" \
      org.opencontainers.image.description="GraphQL facade over the KubeSphere API" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production PORT=4000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json LICENSE ./
COPY schema ./schema
COPY src ./src
COPY bin ./bin
# The image's unprivileged `node` user (uid/gid 1000); the Kubernetes manifests pin the same ids.
USER 1000:1000
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node runs as PID 1 with no npm or shell in between, so SIGTERM from
# `docker stop` or the kubelet reaches it and starts the graceful shutdown.
CMD ["node", "bin/kubesphere-graphql.js"]
