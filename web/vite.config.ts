import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/**
 * Writes `.br` and `.gz` twins of every text asset of the build (maximum compression, paid once at
 * build time), which the server sends as they are to a browser that accepts them (docs/decisions.md).
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'kam-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true })).filter((f) => /\.(js|css|html|svg|json|txt)$/.test(f));
      await Promise.all(
        files.map(async (file) => {
          const full = path.join(outDir, file);
          const body = await readFile(full);
          const [br, gzipped] = await Promise.all([
            brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
            gz(body, { level: 9 }),
          ]);
          // a twin only where it is smaller (the server falls back to the file itself)
          await Promise.all([br.length < body.length && writeFile(`${full}.br`, br), gzipped.length < body.length && writeFile(`${full}.gz`, gzipped)]);
        }),
      );
    },
  };
}

/** A module of a package under node_modules (`echarts`, `@ant-design/pro-layout`, …). */
const inPackage = (pattern: string) => new RegExp(`[\\\\/]node_modules[\\\\/](${pattern})[\\\\/]`);

// The API runs on :3000 in development (`npm run dev`); the built UI is served by the server itself.
export default defineConfig({
  plugins: [react(), precompress()],
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Pages are split by route (lazy imports); these groups give the big libraries chunks of their own
        // that every page shares and the browser keeps across releases that do not change them.
        codeSplitting: {
          groups: [
            { name: 'echarts', test: inPackage('echarts|zrender'), priority: 40 },
            { name: 'react', test: inPackage('react|react-dom|scheduler|react-router|react-router-dom|@remix-run'), priority: 30 },
            // what the sign-in page needs of antd and its helpers
            { name: 'antd', test: /[\\/]node_modules[\\/]/, tags: ['$initial'], priority: 20 },
            // the rest of antd and pro-components: the console's frame and pages
            { name: 'console', test: /[\\/]node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
