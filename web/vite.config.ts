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
  },
});
