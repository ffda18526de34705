import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API runs on :3000 in development (`npm run dev`); the built UI is served by the server itself.
export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
});
