// Bundles the web page (src/ui/) for the browser with esbuild: one minified ES module and the
// HTML, into dist/ui/, which the service serves at /ui/. Part of npm run build, so npm start has
// it; the bundle's size, raw and gzipped, is printed for the record.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const out = 'dist/ui';
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['src/ui/main.ts'],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outfile: `${out}/app.js`,
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync('src/ui/index.html', `${out}/index.html`);
const bundle = readFileSync(`${out}/app.js`);
if (!process.argv.includes('--quiet')) {
  console.log(
    `dist/ui/app.js: ${Math.round(bundle.length / 1024)} KiB, ${Math.round(gzipSync(bundle).length / 1024)} KiB gzipped`,
  );
}
