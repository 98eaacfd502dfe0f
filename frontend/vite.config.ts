/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The API serves dist/ at `/` with an SPA fallback; in development `npm run dev` proxies the
// API (and its WebSocket) to a local `make run` so the UI talks to the same origin either way.
const apiTarget = process.env.RAGLINE_API_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  base: "/",
  plugins: [react()],
  server: {
    proxy: {
      "/api": { target: apiTarget, ws: true },
      "/readyz": apiTarget,
    },
  },
  build: { outDir: "dist", sourcemap: true },
  test: {
    environment: "jsdom",
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});
