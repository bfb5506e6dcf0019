import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../src/cli/trajan.ts', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function trajan(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', bin, ...args], { encoding: 'utf8' });
}

describe('trajan', () => {
  it('prints the package version with --version and exits 0', () => {
    const r = trajan('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('prints its usage with --help and exits 0, and exits 2 with no command', () => {
    const help = trajan('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: trajan <command>/);
    expect(trajan().status).toBe(2);
  });
});
