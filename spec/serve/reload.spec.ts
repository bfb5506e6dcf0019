import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelServer } from '../../src/serve/server.js';
import { fixture, get, makeRepository, post, removeRepository, serveRepository } from './repo.js';

const TOTAL = readFileSync(fixture('scoring/total.pfa.yaml'), 'utf8');
const LOWER = TOTAL.replace('s.upper', 's.lower');

/** Polls `check` until it holds, for at most 5 s. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached within 5 s');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Replaces a file in one step, as deployment tools do. */
function replace(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

describe('hot reload of the model repository', () => {
  let root: string;
  let server: ModelServer;
  const predict = async (path = 'total') =>
    (await post(`${server.url}/v1/models/${path}:predict`, { instances: [{ x: 1, y: 2, label: 'Ab' }] })).json();

  beforeAll(async () => {
    root = makeRepository({ total: { '1': fixture('scoring/total.pfa.yaml') } });
    server = await serveRepository(root, { pollInterval: 20 });
  });
  afterAll(async () => {
    await server.close();
    removeRepository(root);
  });

  it('serves a changed file once it loads, with no failed request during the swap', async () => {
    expect(await predict()).toEqual({ predictions: [{ total: 3, label: 'AB' }] });
    const statuses: number[] = [];
    let swapped = false;
    const load = (async () => {
      for (let i = 0; i < 2000 && !swapped; i++)
        statuses.push((await post(`${server.url}/v1/models/total:predict`, { instances: [{ x: 1, y: 2, label: 'Ab' }] })).status);
    })();
    replace(join(root, 'total/1/model.yaml'), LOWER);
    await eventually(async () => (await predict()).predictions[0].label === 'ab');
    swapped = true;
    await load;
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('keeps the old model serving when a changed document fails to load, and reports why', async () => {
    replace(join(root, 'total/1/model.yaml'), TOTAL.replace('s.upper', 's.nosuch'));
    await eventually(async () => (await get(`${server.url}/v1/models/total`)).json.model_version_status[0].status.error_message !== '');
    const status = (await get(`${server.url}/v1/models/total`)).json.model_version_status[0];
    expect(status).toMatchObject({ version: '1', state: 'AVAILABLE', status: { error_code: 'INVALID_ARGUMENT' } });
    expect(status.status.error_message).toMatch(/s\.nosuch/);
    expect(await predict()).toEqual({ predictions: [{ total: 3, label: 'ab' }] });
  });

  it('serves a new version by default, and the previous one again when it is removed', async () => {
    mkdirSync(join(root, 'total/2'));
    writeFileSync(join(root, 'total/2/model.yaml'), TOTAL);
    await eventually(async () => (await predict()).predictions[0].label === 'AB');
    expect(await predict('total/versions/1')).toEqual({ predictions: [{ total: 3, label: 'ab' }] });
    rmSync(join(root, 'total/2'), { recursive: true });
    await eventually(async () => (await predict()).predictions[0].label === 'ab');
    expect((await get(`${server.url}/v1/models/total/versions/2`)).status).toBe(404);
  });

  it('picks up a model added to the repository', async () => {
    mkdirSync(join(root, 'copy/7'), { recursive: true });
    writeFileSync(join(root, 'copy/7/model.pfa'), JSON.stringify({ input: 'double', output: 'double', action: [{ '*': ['input', 2] }] }));
    await eventually(async () => (await get(`${server.url}/v2/models/copy/ready`)).status === 200);
    expect((await post(`${server.url}/v1/models/copy:predict`, { instances: [21] })).json()).toEqual({ predictions: [42] });
  });
});
