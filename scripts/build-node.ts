/**
 * Bundles the Node entries of the package into dist/ (the type declarations come from tsc).
 *
 * Why a bundle: Node's module loader costs about a millisecond per file (resolving, reading,
 * compiling each ES module), and the core is some 250 files: `import('trajan')` took about 200 ms
 * of which our own code's evaluation was a tenth. One file per entry and a few shared chunks load
 * in a third of that; a CLI call and each worker thread start that much sooner too.
 *
 * Layout: every entry and every chunk sits one folder below dist/, as each source file sits one
 * folder below src/ (src/cli/, src/io/, ...), so the relative URLs the code resolves against
 * `import.meta.url` (the worker modules, package.json, the conformance skip lists) name the same
 * files from a chunk as from the source. The package's main entry, dist/index.js, is one line that
 * re-exports dist/js/index.js for that reason. Dependencies stay outside the bundle: they load from
 * node_modules as before, and the ones loaded on demand (src/lazy-modules.ts) still load only then.
 *
 * `node --import tsx scripts/build-node.ts [OUTDIR]`.
 */
import { build, type Metafile } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
export const DEFAULT_OUTDIR = fileURLToPath(new URL('../dist', import.meta.url));

/** Output path (below the outdir, without extension) → source file below src/. */
const ENTRIES: Readonly<Record<string, string>> = {
  'js/index': 'index.ts',
  'cli/trajan': 'cli/trajan.ts',
  'cli/validate-model': 'cli/validate-model.ts',
  'serve/entry': 'serve/entry.ts',
  'batch/score-stream': 'batch/score-stream.ts',
  // Worker modules: started by URL (batch/thread-pool.ts, embed/worker-pool.ts, serve/isolated.ts).
  'batch/score-worker': 'batch/score-worker.ts',
  'io/model-worker': 'io/model-worker.ts',
};

export async function buildNode(outdir: string = DEFAULT_OUTDIR): Promise<Metafile> {
  // A fresh tree: files of an earlier layout must not linger beside the bundle.
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([out, src]) => [out, join(SRC, src)])),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: 'js/[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
  });
  // CommonJS callers get a message, not Node's ERR_PACKAGE_PATH_NOT_EXPORTED (esm-only.cts).
  await build({
    entryPoints: [join(SRC, 'esm-only.cts')],
    outfile: join(outdir, 'esm-only.cjs'),
    format: 'cjs',
    platform: 'node',
    logLevel: 'warning',
  });
  writeFileSync(join(outdir, 'index.js'), "export * from './js/index.js';\n");
  return result.metafile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildNode(process.argv[2] ? resolve(process.argv[2]) : undefined);
}
