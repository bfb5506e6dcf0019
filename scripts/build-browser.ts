/**
 * Bundles the browser entries into ES modules with no Node built-ins (esbuild's browser platform
 * refuses them), in one folder:
 * - trajan.js (src/browser.ts, `trajan/browser`): PFA scoring;
 * - trajan-pmml.js (src/browser-pmml.ts, `trajan/browser-pmml`): that, plus PMML and `loadModel`;
 * - chunk-*.js: code the two share, and the parts loaded on demand by `ready()` (YAML, re2js,
 *   luxon, stdlib, mathjs; see src/lazy-modules.browser.ts).
 * Avro's binary encoding only needs avsc's types, so avsc is replaced by its types-only browser
 * entry, and the Node modules that entry uses by their npm polyfills (`buffer`, `util`). Modules
 * that load packages with `require` in Node have a `.browser.ts` twin beside them, swapped in here.
 * `node --import tsx scripts/build-browser.ts [OUTDIR]`.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';

const resolve = createRequire(import.meta.url).resolve;

/**
 * `src/lazy-modules.ts` and `src/pfa/lib/_mathjs.ts` load packages with `createRequire`
 * (node:module), which a browser lacks; each has a browser twin beside it. esbuild's `alias` only
 * renames package paths, so this swaps the relative imports by their resolved files.
 */
const browserTwins: Plugin = {
  name: 'browser-twins',
  setup(b) {
    b.onResolve({ filter: /\/(_mathjs|lazy-modules)\.js$/ }, (args) => {
      const twin = resolvePath(args.resolveDir, args.path.replace(/\.js$/, '.browser.ts'));
      return existsSync(twin) ? { path: twin } : undefined;
    });
  },
};

export const DEFAULT_OUTDIR = fileURLToPath(new URL('../dist/browser', import.meta.url));

/** The entries, by output name. */
const ENTRIES = {
  trajan: fileURLToPath(new URL('../src/browser.ts', import.meta.url)),
  'trajan-pmml': fileURLToPath(new URL('../src/browser-pmml.ts', import.meta.url)),
};

export async function buildBrowser(outdir: string = DEFAULT_OUTDIR): Promise<Metafile> {
  const result = await build({
    entryPoints: ENTRIES,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    metafile: true,
    logLevel: 'warning',
    // Resolved to files, so that `buffer` and `util` name the npm packages, not Node's modules.
    alias: { avsc: resolve('avsc/etc/browser/avsc-types.js'), buffer: resolve('buffer/'), util: resolve('util/') },
    define: { 'process.env.NODE_DEBUG': 'false' },
    plugins: [browserTwins],
  });
  return result.metafile;
}

/**
 * The bytes a page loads for one entry before it runs: the entry's file and the chunks it imports
 * statically (not those behind `import()`).
 */
export function loadedBytes(meta: Metafile, entry: string): number {
  const seen = new Set<string>();
  const visit = (file: string): number => {
    if (seen.has(file)) return 0;
    seen.add(file);
    const out = meta.outputs[file]!;
    return out.bytes + out.imports.filter((i) => i.kind === 'import-statement').reduce((sum, i) => sum + visit(i.path), 0);
  };
  const file = Object.keys(meta.outputs).find((f) => f.endsWith(`/${entry}.js`));
  if (!file) throw new Error(`no output for ${entry}`);
  return visit(file);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? DEFAULT_OUTDIR;
  const meta = await buildBrowser(out);
  for (const entry of Object.keys(ENTRIES))
    console.log(`${out}/${entry}.js: ${(loadedBytes(meta, entry) / 1024).toFixed(0)} KB loaded at start`);
}
