// Bundles the web console and the customer portal with esbuild: minified, content-hashed
// file names under <out>/assets, the HTML shells <out>/console.html and <out>/portal.html
// naming them, and <out>/manifest.json (entry -> files, with their sizes) for tools.
// Usage: node build.mjs [--out DIR]   (default: ../build/web)
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outArg = process.argv.indexOf('--out');
const out = resolve(outArg > 0 ? process.argv[outArg + 1] : join(here, '..', 'build', 'web'));
const assets = join(out, 'assets');
rmSync(assets, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const entries = { console: 'src/console/main.tsx', portal: 'src/portal/main.tsx' };
const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: entries,
  bundle: true,
  minify: true,
  format: 'esm',
  splitting: true,
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: assets,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const manifest = {};
const onDemand = {};
for (const [file, info] of Object.entries(result.metafile.outputs)) {
  if (!info.entryPoint || file.endsWith('.css')) continue;
  const name = Object.keys(entries).find((k) => info.entryPoint === entries[k]);
  if (!name) {
    // A page loaded by a dynamic import (the dashboard): its own size, fetched when opened.
    onDemand[info.entryPoint] = { js: basename(file), gzip_bytes: gzipSync(readFileSync(resolve(here, file)), { level: 9 }).length };
    continue;
  }
  const js = basename(file);
  const css = info.cssBundle ? basename(info.cssBundle) : null;
  // What a first load fetches: the entry and the chunks it imports statically.
  const loaded = [js, ...info.imports.filter((i) => i.kind === 'import-statement').map((i) => basename(i.path))];
  const gzip = loaded.reduce((n, f) => n + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
  manifest[name] = { js, css, first_load_js: loaded, first_load_js_gzip_bytes: gzip };
}

const titles = { console: 'Switchboard', portal: 'Switchboard: your account' };
for (const [name, m] of Object.entries(manifest)) {
  const preload = m.first_load_js.slice(1).map((f) => `<link rel="modulepreload" href="/assets/${f}">`).join('');
  const css = m.css ? `<link rel="stylesheet" href="/assets/${m.css}">` : '';
  writeFileSync(
    join(out, `${name}.html`),
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">' +
      `<title>${titles[name]}</title>${css}${preload}` +
      `<script type="module" src="/assets/${m.js}"></script></head>` +
      '<body><div id="app"></div></body></html>\n',
  );
}
writeFileSync(join(out, 'manifest.json'), JSON.stringify({ ...manifest, on_demand: onDemand }, null, 2) + '\n');
console.log(
  [
    ...Object.entries(manifest).map(([k, m]) => `web: ${k} ${m.js} (first load ${(m.first_load_js_gzip_bytes / 1024).toFixed(1)} KiB gzipped)`),
    ...Object.entries(onDemand).map(([k, m]) => `web: on demand ${k} ${m.js} (${(m.gzip_bytes / 1024).toFixed(1)} KiB gzipped)`),
  ].join('\n'),
);
