/**
 * The package as npm delivers it: `npm pack`, then `npm install` of the tarball into an empty
 * folder, as a library user would. One install per run (the slow part: about a minute with a warm
 * npm cache); everything else reads that install. It needs the build (`npm run build`, which
 * `npm ci` runs) and the registry or a warm cache: without them it skips, saying why.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  optionalDependencies: Record<string, string>;
};
const built = existsSync(join(root, 'dist/index.js')) && existsSync(join(root, 'dist/browser/trajan.js'));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** Signs in npm's output that the registry could not be reached. */
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|request to .* failed/;

if (!built) console.warn('skipping the install specs: no build in dist/ (npm run build)');

describe.skipIf(!built)('the packed package, installed into an empty folder', () => {
  let dir: string;
  let install: SpawnSyncReturns<string>;
  let skipReason: string | undefined;
  const app = (...parts: string[]) => join(dir, 'app', ...parts);
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: app(), encoding: 'utf8', timeout: 60_000 });
  const bin = (name: string, ...args: string[]) => run(process.execPath, [app('node_modules', '.bin', name), ...args]);
  const needInstall = (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trajan-install-'));
    // The build is already there: packing skips `prepare` rather than building a second time.
    const packed = execFileSync(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' });
    const tarball = join(dir, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
    mkdirSync(app());
    writeFileSync(app('package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }));
    install = spawnSync(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn', tarball], {
      cwd: app(),
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (install.status !== 0) {
      const out = `${install.stdout}${install.stderr}`;
      skipReason = OFFLINE.test(out) ? 'the npm registry is unreachable and the cache lacks a dependency' : undefined;
      if (skipReason) console.warn(`skipping the install specs: ${skipReason}`);
      else throw new Error(`npm install failed:\n${out}`);
    }
  }, 660_000);

  // Removing the install (400 packages) takes a while on a busy machine.
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('installs with no engine warning on this Node', (ctx) => {
    needInstall(ctx);
    expect(`${install.stdout}${install.stderr}`).not.toMatch(/EBADENGINE/);
  });

  it('imports as an ES module and scores an example', (ctx) => {
    needInstall(ctx);
    writeFileSync(
      app('score.js'),
      [
        "import { readFileSync } from 'node:fs';",
        "import { loadModel } from 'trajan';",
        "const model = loadModel(readFileSync(new URL('./node_modules/trajan/examples/iris-tree.pfa.json', import.meta.url), 'utf8'));",
        'console.log(model.score({ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }));',
      ].join('\n'),
    );
    const r = run(process.execPath, ['score.js']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('setosa');
  });

  it('tells a require() caller that it is an ES module', (ctx) => {
    needInstall(ctx);
    const r = run(process.execPath, ['-e', "try { require('trajan') } catch (e) { console.log(e.code + ' ' + e.message) }"]);
    expect(r.stdout).toMatch(/^ERR_REQUIRE_ESM trajan is an ES module .*await import\('trajan'\)/);
  });

  it('type-checks code importing trajan, trajan/browser and trajan/serve', (ctx) => {
    needInstall(ctx);
    writeFileSync(
      app('check.ts'),
      [
        "import { loadModel, type Model } from 'trajan';",
        "import { loadPfa, ready, PfaEngine } from 'trajan/browser';",
        "import { startServer, type ServeOptions } from 'trajan/serve';",
        "const model: Model = loadModel('{}');",
        'const engine: PfaEngine = loadPfa("{}");',
        'const waiting: Promise<void> = ready();',
        "const options: ServeOptions = { modelDir: 'models' } as ServeOptions;",
        'export const all = [model, engine, waiting, startServer, options];',
      ].join('\n'),
    );
    writeFileSync(
      app('tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['check.ts'],
      }),
    );
    const r = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('answers --help and --version from both command lines', (ctx) => {
    needInstall(ctx);
    for (const name of ['trajan', 'validate-model']) {
      expect(bin(name, '--version').stdout.trim(), name).toBe(pkg.version);
      const help = bin(name, '--help');
      expect(help.status, name).toBe(0);
      expect(help.stdout, name).toMatch(/usage/);
    }
  });

  // Last: it removes a package from the install.
  it('names the optional package to install when one is missing', (ctx) => {
    needInstall(ctx);
    expect(Object.keys(pkg.optionalDependencies)).toContain('fastify');
    rmSync(app('node_modules', 'fastify'), { recursive: true, force: true });
    const r = bin('trajan', 'serve', 'models');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/trajan serve needs the package "fastify".*npm install fastify.*\(missing-dependency\)/);
    // Loading and scoring do not need it.
    expect(run(process.execPath, ['score.js']).stdout.trim()).toBe('setosa');
  });
});
