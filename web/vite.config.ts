import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The API is same-origin under /api; in development the dev server forwards it to the backend.
export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      "/api": { target: "http://127.0.0.1:8000", changeOrigin: false },
      "/epcis": { target: "http://127.0.0.1:8000", changeOrigin: false },
      // public GS1 Digital Link pages reached by QR code: /01/{GTIN}/21/{serial}
      "^/01/": { target: "http://127.0.0.1:8000", changeOrigin: false },
    },
  },
  build: {
    outDir: "dist",
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
