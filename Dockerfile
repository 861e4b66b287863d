# syntax=docker/dockerfile:1
#
# Công Văn — production image.
#   target "runtime" (default): API, workers and migrations (same image, different command)
#   target "web":               nginx serving web/dist and proxying the API (see web/nginx.conf)
#
#   docker build -t congvan-app .            docker build --target web -t congvan-web .
#
# The lockfile carries linux-x64 and linux-arm64 (glibc) binaries for sharp / @napi-rs/canvas, so build on
# one of those platforms. The runtime image installs poppler-utils (pdftotext -bbox places the number and date on
# an issued page) and native Tesseract with Vietnamese (tesseract-ocr-vie): the
# OCR workers use it (OCR_ENGINE=auto), about 3× less CPU per page than tesseract.js, which stays the fallback
# with the npm language data (@tesseract.js-data/vie). PDF rendering uses pdfjs-dist + @napi-rs/canvas, report
# fonts come from the dejavu-fonts-ttf npm package. (If a future feature renders text with system fonts, install
# fonts-liberation2 — fonts-liberation 1.x has no Vietnamese glyphs.)
# DOCX drafts are converted to PDF at signing / issuing by LibreOffice headless (libreoffice-writer-nogui,
# server/src/infra/convert): no network service; fonts-liberation2 (metric-compatible with Times New Roman,
# with Vietnamese glyphs) and fonts-dejavu-core give the converted pages their Vietnamese text.
#
# Node: 24 LTS (Node 20 reached end of life in April 2026). The code still runs on Node ≥ 20.19 (the dev
# machines), and .ci/run runs the whole test suite on both; `npm ci` prints no EBADENGINE on either.

ARG NODE_IMAGE=node:24-bookworm-slim
ARG NGINX_IMAGE=nginx:1.27-alpine

# ---------------------------------------------------------------------------------------------- build
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true \
    npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false

# Manifests first, so the dependency layer is cached until a package.json or the lockfile changes.
COPY package.json package-lock.json .npmrc ./
COPY schema/package.json schema/
COPY server/package.json server/
COPY workers/package.json workers/
COPY web/package.json web/
COPY test/package.json test/
RUN npm ci

COPY . .
RUN npm run build

# Keep only production dependencies and assemble the runtime tree in /out.
RUN npm prune --omit=dev \
 && mkdir -p /out \
 && cp -a package.json package-lock.json node_modules dist /out/ \
 && for ws in schema server workers web test; do \
      mkdir -p /out/$ws && cp -a $ws/package.json /out/$ws/ ; \
      if [ -d $ws/node_modules ]; then cp -a $ws/node_modules /out/$ws/ ; fi ; \
    done \
 && mkdir -p /out/web/dist /out/dist/schema \
 && cp -a web/dist/. /out/web/dist/ \
 && cp -a workers/assets /out/workers/ \
 && cp -a schema/*.graphql /out/schema/ \
 && cp -a schema/*.graphql /out/dist/schema/

# ------------------------------------------------------------------------------------------------ web
FROM ${NGINX_IMAGE} AS web
COPY web/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/web/dist/ /usr/share/nginx/html/
EXPOSE 80

# The last stage is the default target: the app image.
# -------------------------------------------------------------------------------------------- runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    CONGVAN_DATA_DIR=/var/lib/congvan \
    WEB_DIST=/app/web/dist \
    SERVE_WEB=false \
    CONGVAN_DEMO=false
WORKDIR /app
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends tesseract-ocr tesseract-ocr-vie poppler-utils \
      libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /app/
# The only writable place: scratch space (upload spooling, OCR cache). Nothing here must survive a restart
# when DATABASE_URL and S3_* are set — the containers are stateless.
RUN mkdir -p /var/lib/congvan && chown node:node /var/lib/congvan
USER node
EXPOSE 8080
# Default: the API. docker-compose.yml overrides the command for the workers and the migrations.
CMD ["node", "dist/server/src/bin/api.js"]

