/**
 * The `curl` examples of docs/serving.md, sent as written (path, headers, body) to a server over
 * the repository the page's first block builds, each answer compared with the `# {...}` line under
 * its command.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ModelServer } from '../../src/serve/server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const page = readFileSync(join(root, 'docs/serving.md'), 'utf8');

interface Example {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly expected: unknown;
}

/** Every `curl -s localhost:PORT/PATH [-H 'k: v']... -d '...'` followed by a `# answer` line. */
const EXAMPLE = /^curl -s localhost:\d+(\S+)((?: -H '[^']*')*) -d '([^']*)'\n# (.*)$/gm;
const examples: Example[] = [...page.matchAll(EXAMPLE)].map((m) => ({
  path: m[1]!,
  headers: Object.fromEntries([...m[2]!.matchAll(/-H '([^:]+):\s*([^']*)'/g)].map((h) => [h[1]!.toLowerCase(), h[2]!])),
  body: m[3]!,
  expected: JSON.parse(m[4]!),
}));

let server: ModelServer;
const repo = mkdtempSync(join(tmpdir(), 'trajan-serving-doc-'));

beforeAll(async () => {
  // The page's first block: mkdir -p models/iris/1 && cp examples/iris-tree.pfa.json models/iris/1/model.pfa
  mkdirSync(join(repo, 'iris/1'), { recursive: true });
  copyFileSync(join(root, 'examples/iris-tree.pfa.json'), join(repo, 'iris/1/model.pfa'));
  server = await startServer({ modelDir: repo, port: 0, logger: false, pollInterval: 0 });
});
afterAll(async () => {
  await server?.close();
  rmSync(repo, { recursive: true, force: true });
});

describe('docs/serving.md examples', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples.map((e) => [e.path, e] as const))('POST %s answers as the page shows', async (_path, e) => {
    const res = await fetch(`${server.url}${e.path}`, { method: 'POST', headers: e.headers, body: e.body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(e.expected);
  });
});
