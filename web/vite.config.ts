import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The API (npm start) listens on :8080; in dev, Vite serves the app and forwards API paths to it. */
const API = 'http://localhost:8080';
const proxy = {
  '/graphql': { target: API, changeOrigin: false, ws: false },
  '/files': { target: API, changeOrigin: false },
  '/healthz': { target: API, changeOrigin: false },
};

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // The entry chunk (≈ 1.3 MB, ≈ 200 kB gzipped as served) is mostly web/src/graphql/generated.ts, every
    // operation's parsed document (TypedDocumentNode, ≈ 1 MB of JSON-like AST that gzip shrinks ten times), and
    // the schema's introspection for graphcache: single modules every page imports, which no code split divides.
    // Vite's default (500 kB) would warn at every `npm start`; above this limit a chunk is a real regression.
    chunkSizeWarningLimit: 1500,
  },
});
