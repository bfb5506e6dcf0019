/**
 * The README's commands and its code, run as a reader would run them: the shell blocks through the
 * two command lines (from the sources, as `npx` runs them from the build), the JavaScript block with
 * `trajan` resolved to the sources. `npm ci` and `npm test` are the install and this suite itself,
 * so they are left out.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'trajan-readme-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The bodies of the fenced blocks of one language, in order. */
function blocks(lang: string): string[] {
  return [...readme.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);
}

/** The commands of a shell block, split at `&&`, without the install and the test run. */
function commands(block: string): string[][] {
  return block
    .split('\n')
    .flatMap((line) => line.split('&&'))
    .map((c) => c.trim())
    .filter((c) => c !== '' && c !== 'npm ci' && c !== 'npm test')
    .map((c) => c.split(/\s+/));
}

const BINS: Record<string, string> = { trajan: 'src/cli/trajan.ts', 'validate-model': 'src/cli/validate-model.ts' };

/** Runs `npx BIN ARGS` from the sources and returns its stdout; a non-zero exit throws. */
function runNpx([npx, bin, ...args]: string[]): string {
  expect(npx, 'README commands run through npx').toBe('npx');
  const entry = BINS[bin!];
  expect(entry, `a command of this package: ${bin}`).toBeDefined();
  return execFileSync(process.execPath, ['--import', 'tsx', join(root, entry!), ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('README', () => {
  it('its shell blocks run and the first one scores a model', () => {
    const all = blocks('sh').flatMap(commands);
    expect(all.length).toBeGreaterThan(1);
    const first = runNpx(all[0]!);
    // What the Quick start says it prints.
    expect(first.trim().split('\n')).toEqual(['"setosa"', '"versicolor"', '"virginica"']);
    for (const c of all.slice(1)) {
      const stdout = runNpx(c);
      if (c[1] === 'validate-model') for (const line of stdout.trim().split('\n')) expect(line).toMatch(/: OK$/);
    }
  });

  it('its JavaScript block prints what its comment says', () => {
    const [js] = blocks('js');
    const file = join(tmp, 'quick-start.mts');
    writeFileSync(file, js!.replace("from 'trajan'", `from ${JSON.stringify(pathToFileURL(join(root, 'src/index.ts')).href)}`));
    const out = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
    const expected = /\/\/ (.+)\s*$/.exec(js!.trim().split('\n').at(-1)!)![1]!;
    expect(out.trim()).toBe(JSON.parse(expected));
  });
});
