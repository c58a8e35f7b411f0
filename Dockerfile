# One image for the collab server and the AI service (the command picks which runs).
# Build: docker build -t mimiverse .
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.json ./
COPY packages ./packages
COPY db ./db
COPY apps ./apps
COPY scripts ./scripts
RUN npm ci --ignore-scripts && npm run build

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Runtime dependencies only; our own code is bundled into dist/ (Node cannot run the workspaces' TypeScript).
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/packages/shared/package.json ./packages/shared/
COPY --from=build /app/packages/server-kit/package.json ./packages/server-kit/
COPY --from=build /app/db/package.json ./db/
COPY --from=build /app/apps/collab/package.json ./apps/collab/
COPY --from=build /app/apps/ai/package.json ./apps/ai/
COPY --from=build /app/apps/web/package.json ./apps/web/
RUN npm ci --omit=dev --ignore-scripts --workspace @mimiverse/collab --workspace @mimiverse/ai && npm cache clean --force
COPY --from=build /app/apps/collab/dist ./apps/collab/dist
COPY --from=build /app/apps/web/dist ./apps/collab/dist/web
COPY --from=build /app/apps/ai/dist ./apps/ai/dist
USER node
EXPOSE 3000 3001
CMD ["node", "apps/collab/dist/server/main.js"]
