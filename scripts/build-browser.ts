/**
 * Bundles src/browser.ts into one ES module for browsers, with no Node built-ins (esbuild's browser
 * platform refuses them). Avro's binary encoding only needs avsc's types, so avsc is replaced by its
 * types-only browser entry, and the Node modules that entry uses by their npm polyfills (`buffer`,
 * `util`). mathjs, which Node loads on first use through `require`, is imported statically here
 * (`_mathjs.browser.ts` stands in for `_mathjs.ts`). `node --import tsx scripts/build-browser.ts
 * [OUTFILE]`.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';

const resolve = createRequire(import.meta.url).resolve;

/**
 * `src/pfa/lib/_mathjs.ts` loads mathjs with `createRequire` (node:module), which a browser lacks;
 * its browser twin beside it imports mathjs statically. esbuild's `alias` only renames package
 * paths, so this swaps the relative import by its resolved file.
 */
const browserMathjs: Plugin = {
  name: 'browser-mathjs',
  setup(b) {
    b.onResolve({ filter: /\/_mathjs\.js$/ }, (args) => ({
      path: resolvePath(args.resolveDir, args.path.replace(/_mathjs\.js$/, '_mathjs.browser.ts')),
    }));
  },
};

export const DEFAULT_OUTFILE = fileURLToPath(new URL('../dist/browser/trajan.js', import.meta.url));

export async function buildBrowser(outfile: string = DEFAULT_OUTFILE): Promise<Metafile> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/browser.ts', import.meta.url))],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    metafile: true,
    logLevel: 'warning',
    // Resolved to files, so that `buffer` and `util` name the npm packages, not Node's modules.
    alias: { avsc: resolve('avsc/etc/browser/avsc-types.js'), buffer: resolve('buffer/'), util: resolve('util/') },
    define: { 'process.env.NODE_DEBUG': 'false' },
    plugins: [browserMathjs],
  });
  return result.metafile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? DEFAULT_OUTFILE;
  await buildBrowser(out);
  console.log(`wrote ${out}`);
}
