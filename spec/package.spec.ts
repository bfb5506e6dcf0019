/**
 * The package as a user's code reaches it: by its name, through the `exports` map of package.json,
 * from the build (`npm run build`, which `npm ci` runs through `prepare`). Node resolves a package's
 * own name from inside it, so these specs see what an installed copy exposes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  files: string[];
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
};
const built = existsSync(join(root, 'dist/index.js'));

describe('package.json', () => {
  it('gives every export path with code its types', () => {
    for (const [path, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(target.types, `types for ${path}`).toMatch(/\.d\.ts$/);
    }
  });

  it('ships the examples the README runs', () => {
    expect(pkg.files).toContain('examples');
  });
});

// The build is made by `npm ci` (its prepare script); a checkout that has not run it has no dist/.
describe.skipIf(!built)('the built package, by its name', () => {
  const node = (args: string[]) => spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });

  it('imports as an ES module', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('trajan'); console.log(typeof m.loadModel, typeof m.loadPfa, typeof m.TrajanError)",
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('function function function');
  });

  it('tells a require() caller that it is an ES module, and how to load it', () => {
    const r = node(['-e', "try { require('trajan') } catch (e) { console.log(e.code + ' ' + e.message) }"]);
    expect(r.stdout).toMatch(/^ERR_REQUIRE_ESM trajan is an ES module .*await import\('trajan'\)/);
  });

  it('has every file its exports map and bins name', () => {
    for (const target of Object.values(pkg.exports))
      for (const file of typeof target === 'string' ? [target] : Object.values(target))
        expect(existsSync(join(root, file)), file).toBe(true);
    for (const file of Object.values(pkg.bin)) expect(existsSync(join(root, file)), file).toBe(true);
  });

  it('prints its version from both command lines', () => {
    for (const bin of ['trajan', 'validate-model'])
      expect(node([join(root, pkg.bin[bin]!), '--version']).stdout.trim(), bin).toBe(pkg.version);
  });
});
