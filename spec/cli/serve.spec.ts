import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runServe } from '../../src/cli/serve.js';
import { fixture, makeRepository, removeRepository } from '../serve/repo.js';

const CLI = fileURLToPath(new URL('../../src/cli/trajan.ts', import.meta.url));

describe('trajan serve', () => {
  const root = makeRepository({ total: { '1': fixture('scoring/total.pfa.yaml') } });
  afterAll(() => removeRepository(root));

  it('serves a repository until SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', root, '--port', '0', '--log-level', 'warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const deadline = Date.now() + 60_000;
    while (!/ at (http:\/\/\S+)/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const url = / at (http:\/\/\S+)/.exec(out)?.[1];
    expect(out).toMatch(/^serving total from /);
    const r = await fetch(`${url}/v1/models/total:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"instances": [{"x": 1, "y": null, "label": "q"}]}',
    });
    expect(await r.json()).toEqual({ predictions: [{ total: 1, label: 'Q' }] });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 90_000);

  it('exits 2 for usage errors', async () => {
    const err: string[] = [];
    expect(
      await runServe(
        [],
        () => undefined,
        (s) => err.push(s),
      ),
    ).toBe(2);
    expect(
      await runServe(
        [root, '--port', 'x'],
        () => undefined,
        (s) => err.push(s),
      ),
    ).toBe(2);
    expect(
      await runServe(
        [`${root}/nope`],
        () => undefined,
        (s) => err.push(s),
      ),
    ).toBe(2);
    expect(
      await runServe(
        [root, '--timeout', 'soon'],
        () => undefined,
        (s) => err.push(s),
      ),
    ).toBe(2);
    expect(
      await runServe(
        [root, '--max-elements', '1e3x'],
        () => undefined,
        (s) => err.push(s),
      ),
    ).toBe(2);
    expect(err.join('\n')).toMatch(
      /--port must be a whole number[\s\S]*model directory \S+nope does not exist[\s\S]*--timeout must be a whole number[\s\S]*--max-elements must be/,
    );
  });
});
