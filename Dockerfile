# kubesphere-graphql: a GraphQL facade over ks-apiserver.
# Node 24 runs the TypeScript sources directly (type stripping), so there is
# no build stage: the image holds src/, schema/ and production dependencies.
# The KubeSphere simulator (simulator/) stays out of the image: set
# KUBESPHERE_URL, since the facade loads the simulator only when it is unset.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-slim
LABEL org.opencontainers.image.title="kubesphere-graphql" \
      org.opencontainers.image.description="GraphQL facade over the KubeSphere API"
ENV NODE_ENV=production PORT=4000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY schema ./schema
COPY src ./src
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "src/main.ts"]
