/**
 * The heavier dependencies are loaded when a document needs them, not by importing the library
 * (src/lazy-modules.ts), and what is loaded on demand is the very same code a static import gives.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { RE2JS } from 're2js';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { describe, expect, it } from 'vitest';
import { loadPfa } from '../src/index.js';
import { stdlib } from '../src/lazy-modules.js';
import { STDLIB_NAMES } from '../src/lazy-stdlib.js';
import { RE_FLAGS } from '../src/pfa/lib/re.js';
import { OPTIONAL_PACKAGES, asMissingDependency } from '../src/optional-package.js';
import { DependencyError } from '../src/dependency-error.js';

const HEAVY = ['yaml', 'ajv', 'avsc', 'luxon', 're2js', 'fast-xml-parser', 'mathjs', '@stdlib/', 'fastify', 'piscina', 'prom-client'];

/** The packages (under node_modules) a fresh process loads while running `body` on the sources. */
function packagesLoaded(body: string): string[] {
  const hook = `data:text/javascript,${encodeURIComponent(
    `import { register } from 'node:module';
     register('data:text/javascript,' + encodeURIComponent('export async function load(url, ctx, next) { if (url.includes("/node_modules/")) process.stderr.write("LOADED " + url + "\\\\n"); return next(url, ctx); }'));`,
  )}`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--import', hook, '--input-type=module', '-e', body], {
    encoding: 'utf8',
    cwd: new URL('..', import.meta.url).pathname,
  });
  expect(child.status, child.stderr).toBe(0);
  return [...new Set([...child.stderr.matchAll(/LOADED \S*\/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]!))];
}

/** Also CommonJS modules that the loaded ones `require`: read from the require cache. */
const requireCache = `const { createRequire } = await import('node:module'); const req = createRequire(import.meta.url); process.stderr.write(Object.keys(req.cache).map((f) => 'LOADED ' + f).join('\\n') + '\\n');`;

describe('lazy loading of dependencies', () => {
  it('importing the library loads none of the heavy packages', () => {
    const loaded = packagesLoaded(`await import('./src/index.ts'); ${requireCache}`);
    expect(loaded.filter((p) => HEAVY.some((h) => p.startsWith(h)))).toEqual([]);
  }, 60_000);

  it('a document calling a distribution loads that distribution alone', () => {
    const doc = JSON.stringify({ input: 'double', output: 'double', action: [{ 'prob.dist.betaCDF': ['input', 2, 3] }] });
    const loaded = packagesLoaded(`const { loadPfa } = await import('./src/index.ts'); loadPfa(${JSON.stringify(doc)}); ${requireCache}`);
    const stdlibPackages = loaded.filter((p) => p.startsWith('@stdlib/stats-base-dists-'));
    expect(stdlibPackages).toContain('@stdlib/stats-base-dists-beta-cdf');
    expect(stdlibPackages).not.toContain('@stdlib/stats-base-dists-normal-cdf');
    expect(loaded).not.toContain('yaml');
  }, 60_000);

  it('loads the same stdlib functions a static import gives, so results are identical', () => {
    expect(stdlib('stats-base-dists-normal-cdf')).toBe(normalCdf);
    const engine = loadPfa(JSON.stringify({ input: 'double', output: 'double', action: [{ 'prob.dist.gaussianCDF': ['input', 1, 2] }] }));
    for (const x of [-3.5, 0, 0.25, 1, 7]) expect(Object.is(engine.action(x), normalCdf(x, 1, 2))).toBe(true);
  });

  it('lists exactly the stdlib packages package.json depends on', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const declared = Object.keys(pkg.dependencies)
      .filter((d) => d.startsWith('@stdlib/'))
      .map((d) => d.slice('@stdlib/'.length));
    expect([...STDLIB_NAMES].sort()).toEqual(declared.sort());
  });

  it("writes re2js's flags out as re2js defines them", () => {
    expect(RE_FLAGS).toBe(RE2JS.LONGEST_MATCH | RE2JS.DOTALL);
  });
});

describe('optional packages', () => {
  it('are the optionalDependencies of package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      optionalDependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.optionalDependencies).sort()).toEqual([...OPTIONAL_PACKAGES].sort());
  });

  it('turn a module-not-found error about one of them into a coded error naming it', () => {
    const e = Object.assign(new Error("Cannot find package 'fastify' imported from /x/dist/serve/server.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const coded = asMissingDependency(e, 'trajan serve');
    expect(coded).toBeInstanceOf(DependencyError);
    expect(coded).toMatchObject({ code: 'missing-dependency', packageName: 'fastify', kind: 'initialization' });
    expect((coded as Error).message).toMatch(/trajan serve needs the package "fastify".*npm install fastify/);
    // Anything else passes through unchanged.
    const other = Object.assign(new Error("Cannot find package 'left-pad'"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(asMissingDependency(other, 'trajan serve')).toBe(other);
  });
});
