/**
 * The model server against hostile clients: every request that is the client's fault gets a 4xx
 * JSON answer with a code, a model that breaks a budget gets 422, and the good requests sent in
 * between are still answered correctly. Hostile bodies and models are built here, at run time.
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelServer } from '../../src/serve/server.js';
import { serveRepository } from '../serve/repo.js';

const ADD = {
  name: 'add',
  input: {
    type: 'record',
    name: 'In',
    fields: [
      { name: 'x', type: 'double' },
      { name: 'y', type: 'double' },
    ],
  },
  output: 'double',
  action: [{ '+': ['input.x', 'input.y'] }],
};
const VEC = { name: 'vec', input: { type: 'array', items: 'double' }, output: 'double', action: [{ 'a.sum': ['input'] }] };
/** Counts up to its input: as many loop steps as the request asks for. */
const SPIN = {
  name: 'spin',
  input: 'int',
  output: 'int',
  action: [{ let: { i: 0 } }, { while: { '<': ['i', 'input'] }, do: [{ set: { i: { '+': ['i', 1] } } }] }, 'i'],
};
/** Appends to an ever longer array: quadratic work in few loop steps, which the allocation budget stops. */
const GROW = {
  name: 'grow',
  input: 'int',
  output: 'int',
  action: [
    { let: { xs: { type: { type: 'array', items: 'int' }, value: [] }, i: 0 } },
    { while: { '<': ['i', 'input'] }, do: [{ set: { xs: { 'a.append': ['xs', 'i'] }, i: { '+': ['i', 1] } } }] },
    { 'a.len': ['xs'] },
  ],
};

/** 256 sines a loop step: slow steps, allocating nothing, which only the time budget stops. */
const SINES = (() => {
  let sum: unknown = 'acc';
  for (let k = 0; k < 256; k++) sum = { '+': [sum, { 'm.sin': [{ '+': ['i', k] }] }] };
  return {
    name: 'sines',
    input: 'int',
    output: 'double',
    action: [
      { let: { i: 0, acc: { double: 0 } } },
      { while: { '<': ['i', 'input'] }, do: [{ set: { acc: sum, i: { '+': ['i', 1] } } }] },
      'acc',
    ],
  };
})();

function writeModels(root: string, models: Record<string, unknown>): void {
  for (const [name, doc] of Object.entries(models)) {
    mkdirSync(join(root, name, '1'), { recursive: true });
    writeFileSync(join(root, name, '1', 'model.pfa'), typeof doc === 'string' ? doc : JSON.stringify(doc));
  }
}

interface Answer {
  status: number;
  json: any;
}

async function send(server: ModelServer, url: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const r = await server.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json', ...headers } });
  let json: unknown;
  try {
    json = JSON.parse(r.body);
  } catch {
    json = undefined;
  }
  return { status: r.statusCode, json };
}

const nested = (depth: number, leaf = '1') => `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;

describe('the model server against hostile requests', () => {
  let root: string;
  let server: ModelServer;
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'trajan-hostile-'));
    writeModels(root, { add: ADD, vec: VEC, spin: SPIN, grow: GROW, sines: SINES });
    // Budgets far apart, so that each hostile model meets its own whatever the machine's load: the
    // spin loop reaches 200,000 steps and the grow loop 2,000,000 elements in milliseconds, while the
    // sines loop, asked for fewer steps than the step budget, can only run out of time.
    server = await serveRepository(root, {
      loadOptions: { timeout: 200, maxLoopSteps: 200_000, maxAllocation: 2_000_000 },
      limits: { maxElements: 10_000, maxDepth: 32, requestTimeout: 2_000 },
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** A good request on each protocol, answer checked by value. */
  async function goodAnswers(x: number, y: number): Promise<void> {
    const tf = await send(server, '/v1/models/add:predict', JSON.stringify({ instances: [{ x, y }] }));
    expect(tf).toEqual({ status: 200, json: { predictions: [x + y] } });
    const ks = await send(
      server,
      '/v2/models/add/infer',
      JSON.stringify({
        inputs: [
          { name: 'x', shape: [1], datatype: 'FP64', data: [x] },
          { name: 'y', shape: [1], datatype: 'FP64', data: [y] },
        ],
      }),
    );
    expect(ks.status).toBe(200);
    expect(ks.json.outputs[0].data).toEqual([x + y]);
    const ml = await send(server, '/invocations', JSON.stringify({ dataframe_split: { columns: ['x', 'y'], data: [[x, y]] } }), {
      'x-amzn-sagemaker-target-model': 'add',
    });
    expect(ml).toEqual({ status: 200, json: { predictions: [x + y] } });
  }

  function expectClientError(a: Answer, status: number, code: string | RegExp): void {
    expect(a.status, JSON.stringify(a.json)).toBe(status);
    expect(typeof a.json?.error).toBe('string');
    expect(String(a.json.code)).toMatch(code);
  }

  const cases: [string, string, string, number, string | RegExp, Record<string, string>?][] = [
    [
      'a KServe shape far larger than its data',
      '/v2/models/vec/infer',
      '{"inputs":[{"name":"v","shape":[1e8,0],"datatype":"FP64","data":[]}]}',
      400,
      'bad-shape',
    ],
    [
      'too many KServe values',
      '/v2/models/add/infer',
      JSON.stringify({ inputs: ['x', 'y'].map((name) => ({ name, shape: [6000], datatype: 'FP64', data: Array(6000).fill(1) })) }),
      413,
      'too-many-elements',
    ],
    [
      'a negative dimension',
      '/v2/models/vec/infer',
      '{"inputs":[{"name":"v","shape":[-1,2],"datatype":"FP64","data":[1,2]}]}',
      400,
      'bad-shape',
    ],
    [
      'a fractional dimension',
      '/v2/models/vec/infer',
      '{"inputs":[{"name":"v","shape":[1.5],"datatype":"FP64","data":[1]}]}',
      400,
      'bad-shape',
    ],
    [
      'a shape whose product differs from the data',
      '/v2/models/add/infer',
      '{"inputs":[{"name":"x","shape":[2],"datatype":"FP64","data":[1,2,3]},{"name":"y","shape":[2],"datatype":"FP64","data":[1,2]}]}',
      400,
      'shape-mismatch',
    ],
    [
      'INT32 on fractional data',
      '/v2/models/add/infer',
      '{"inputs":[{"name":"x","shape":[1],"datatype":"INT32","data":[1.5]},{"name":"y","shape":[1],"datatype":"FP64","data":[1]}]}',
      400,
      'datatype-mismatch',
    ],
    [
      'INT8 out of range',
      '/v2/models/add/infer',
      '{"inputs":[{"name":"x","shape":[1],"datatype":"INT8","data":[300]},{"name":"y","shape":[1],"datatype":"FP64","data":[1]}]}',
      400,
      'datatype-mismatch',
    ],
    [
      'BOOL on numbers',
      '/v2/models/add/infer',
      '{"inputs":[{"name":"x","shape":[1],"datatype":"BOOL","data":[2.5]},{"name":"y","shape":[1],"datatype":"FP64","data":[1]}]}',
      400,
      'datatype-mismatch',
    ],
    [
      'FP64 on strings',
      '/v2/models/add/infer',
      '{"inputs":[{"name":"x","shape":[1],"datatype":"FP64","data":["1"]},{"name":"y","shape":[1],"datatype":"FP64","data":[1]}]}',
      400,
      'datatype-mismatch',
    ],
    [
      'an unknown datatype',
      '/v2/models/add/infer',
      '{"inputs":[{"name":"x","shape":[1],"datatype":"FP128","data":[1]},{"name":"y","shape":[1],"datatype":"FP64","data":[1]}]}',
      400,
      'bad-datatype',
    ],
    [
      'a missing datatype',
      '/v2/models/add/infer',
      '{"inputs":[{"name":"x","shape":[1],"data":[1]},{"name":"y","shape":[1],"datatype":"FP64","data":[1]}]}',
      400,
      'bad-datatype',
    ],
    [
      'deeply nested tensor data',
      '/v2/models/vec/infer',
      `{"inputs":[{"name":"v","shape":[1,1],"datatype":"FP64","data":${nested(100_000)}}]}`,
      400,
      'too-deep',
    ],
    ['deeply nested TF Serving instances', '/v1/models/vec:predict', `{"instances":${nested(100_000)}}`, 400, 'too-deep'],
    ['deeply nested objects', '/v1/models/add:predict', `{"instances":[${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}]}`, 400, 'too-deep'],
    [
      'too many TF Serving instances',
      '/v1/models/add:predict',
      JSON.stringify({ instances: Array.from({ length: 6000 }, () => ({ x: 1, y: 2 })) }),
      413,
      'too-many-elements',
    ],
    [
      'too many columnar inputs',
      '/v1/models/add:predict',
      JSON.stringify({ inputs: { x: Array(6000).fill(1), y: Array(6000).fill(1) } }),
      413,
      'too-many-elements',
    ],
    [
      'a dataframe_split spreading few values over many cells',
      '/invocations',
      JSON.stringify({
        dataframe_split: { columns: Array.from({ length: 3000 }, (_, i) => `c${i}`), data: Array.from({ length: 3000 }, () => []) },
      }),
      413,
      'too-many-elements',
      { 'x-amzn-sagemaker-target-model': 'add' },
    ],
    [
      'too many dataframe_records',
      '/invocations',
      JSON.stringify({ dataframe_records: Array.from({ length: 4000 }, () => ({ x: 1, y: 2 })) }),
      413,
      'too-many-elements',
      { 'x-amzn-sagemaker-target-model': 'add' },
    ],
    [
      'too many MLflow instances',
      '/invocations',
      JSON.stringify({ instances: Array.from({ length: 4000 }, () => ({ x: 1, y: 2 })) }),
      413,
      'too-many-elements',
      { 'x-amzn-sagemaker-target-model': 'add' },
    ],
    [
      'too many MLflow inputs',
      '/invocations',
      JSON.stringify({ inputs: { x: Array(6000).fill(1), y: Array(6000).fill(1) } }),
      413,
      'too-many-elements',
      { 'x-amzn-sagemaker-target-model': 'add' },
    ],
    [
      'too many CSV cells',
      '/invocations',
      `x,y\n${'1,2\n'.repeat(6000)}`,
      413,
      'too-many-elements',
      { 'content-type': 'text/csv', 'x-amzn-sagemaker-target-model': 'add' },
    ],
    [
      'deep JSON lines',
      '/invocations',
      `{"x":${nested(10_000)},"y":1}\n`,
      400,
      'too-deep',
      { 'content-type': 'application/jsonlines', 'x-amzn-sagemaker-target-model': 'add' },
    ],
    ['a __proto__ key', '/v1/models/add:predict', '{"instances":[{"x":1,"y":2,"__proto__":{"polluted":1}}]}', 400, /./],
    [
      'a constructor.prototype key',
      '/v1/models/add:predict',
      '{"instances":[{"x":1,"y":2,"constructor":{"prototype":{"polluted":1}}}]}',
      400,
      /./,
    ],
    ['malformed JSON', '/v2/models/add/infer', '{"inputs": [', 400, /./],
    ['a loop beyond the step budget', '/v1/models/spin:predict', '{"instances":[100000000]}', 422, 'loop-limit'],
    ['a quadratic loop beyond the allocation budget', '/v1/models/grow:predict', '{"instances":[1000000]}', 422, 'allocation-limit'],
    ['a loop beyond the time budget', '/v1/models/sines:predict', '{"instances":[150000]}', 422, 'timeout'],
    [
      'a batch beyond the request deadline',
      '/v1/models/spin:predict',
      JSON.stringify({ instances: Array(5000).fill(150_000) }),
      422,
      /^(request-timeout|timeout)$/,
    ],
  ];

  for (const [what, url, body, status, code, headers] of cases) {
    it(`answers ${status} for ${what}, and keeps answering good requests`, async () => {
      expectClientError(await send(server, url, body, headers), status, code);
      await goodAnswers(1.5, 2.25);
    });
  }

  it('answers the JSON lines and CSV forms of __proto__ keys without touching Object.prototype', async () => {
    for (const [body, type] of [
      ['{"x":1,"y":2,"__proto__":{"polluted":1}}\n', 'application/jsonlines'],
      ['__proto__,x,y\n1,1,2\n', 'text/csv'],
      ['x,constructor,y\n1,1,2\n', 'text/csv'],
    ]) {
      const a = await send(server, '/invocations', body!, { 'content-type': type!, 'x-amzn-sagemaker-target-model': 'add' });
      expect(a.status, JSON.stringify(a.json)).toBeLessThan(500);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps Object.prototype as it was after all of them', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers other requests while a request runs a hostile model', async () => {
    const [hostile, good] = await Promise.all([
      send(server, '/v1/models/sines:predict', '{"instances":[150000, 150000]}'),
      send(server, '/v1/models/add:predict', JSON.stringify({ instances: [{ x: 1, y: 2 }] })),
    ]);
    expectClientError(hostile, 422, 'timeout');
    expect(good).toEqual({ status: 200, json: { predictions: [3] } });
  });
});

describe('readiness and the repository layout', () => {
  let root: string;
  let outside: string;
  let server: ModelServer;
  const logs: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'trajan-ready-'));
    outside = mkdtempSync(join(tmpdir(), 'trajan-outside-'));
    writeModels(root, { add: ADD, broken: '{"input": "double", "output": "double", "action": [{"no.such.function": [1]}]}' });
    // Kubernetes' ConfigMap layout: the model folder is a link into a `..data` folder.
    writeModels(join(root, '..data'), { linked: ADD });
    symlinkSync(join('..data', 'linked'), join(root, 'linked'));
    // A link leading out of the repository is refused.
    writeModels(outside, { escaped: ADD });
    symlinkSync(join(outside, 'escaped'), join(root, 'escaped'));
    server = await serveRepository(root, { logger: { level: 'warn', stream: { write: (s: string) => logs.push(s) } } });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('is ready when a model serves, and a broken model is unready on its own', async () => {
    const get = async (url: string) => (await server.app.inject({ method: 'GET', url })).statusCode;
    expect(await get('/v2/health/ready')).toBe(200);
    expect(await get('/v2/models/add/ready')).toBe(200);
    expect(await get('/v2/models/broken/ready')).toBe(503);
    expect(await get('/v2/models/broken/versions/1/ready')).toBe(503);
    expect(await get('/v2/health/live')).toBe(200);
  });

  it('serves a model folder linked inside the repository, not one linked outside it', async () => {
    expect(server.repository.names().sort()).toEqual(['add', 'broken', 'linked']);
    const a = await send(server, '/v1/models/linked:predict', JSON.stringify({ instances: [{ x: 1, y: 2 }] }));
    expect(a).toEqual({ status: 200, json: { predictions: [3] } });
    expect((await send(server, '/v1/models/escaped:predict', '{"instances":[{"x":1,"y":2}]}')).status).toBe(404);
    expect(logs.join('')).toMatch(/leads outside/);
    // Refused once, not on every poll.
    await server.repository.refresh();
    expect(logs.filter((l) => /leads outside/.test(l))).toHaveLength(1);
  });

  it('with strict readiness, is unready while any model is broken', async () => {
    const strict = await serveRepository(root, { strictReadiness: true });
    try {
      expect((await strict.app.inject({ method: 'GET', url: '/v2/health/ready' })).statusCode).toBe(503);
    } finally {
      await strict.close();
    }
  });
});

describe('zero-width KServe rows', () => {
  it('bounds the rows of an empty tensor by the element budget, so a shape cannot stand for many records', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trajan-rows-'));
    writeModels(root, { vec: VEC });
    const server = await serveRepository(root, { limits: { maxElements: 100 } });
    try {
      const infer = (rows: number) =>
        send(server, '/v2/models/vec/infer', JSON.stringify({ inputs: [{ name: 'v', shape: [rows, 0], datatype: 'FP64', data: [] }] }));
      const few = await infer(3);
      expect(few.status).toBe(200);
      expect(few.json.outputs[0].data).toEqual([0, 0, 0]);
      const huge = await infer(101);
      expect(huge.status).toBe(400);
      expect(huge.json.code).toBe('bad-shape');
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('models scored in worker threads (isolateMemoryMb)', () => {
  let root: string;
  let server: ModelServer;
  /** Permutations of the input: 12 items make 479 million arrays (with no allocation budget set). */
  const PERM = {
    name: 'perm',
    input: { type: 'array', items: 'int' },
    output: 'int',
    action: [{ 'a.len': [{ 'a.permutations': ['input'] }] }],
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'trajan-isolated-'));
    writeModels(root, { add: ADD, grow: GROW, perm: PERM });
    // No budget in the engine (the host lifts them): only the thread's end stops the quadratic loop.
    const unbounded = Number.MAX_SAFE_INTEGER;
    server = await serveRepository(root, {
      isolateMemoryMb: 64,
      loadOptions: { timeout: 0, maxLoopSteps: unbounded, maxAllocation: unbounded },
      limits: { requestTimeout: 15_000 },
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('scores good requests in the thread', async () => {
    const a = await send(
      server,
      '/v1/models/add:predict',
      JSON.stringify({
        instances: [
          { x: 1, y: 2 },
          { x: 0.5, y: 0.25 },
        ],
      }),
    );
    expect(a).toEqual({ status: 200, json: { predictions: [3, 0.75] } });
  }, 60_000);

  it('stops a call past the request deadline by ending its thread, and answers others meanwhile', async () => {
    const hostile = send(server, '/v1/models/grow:predict', '{"instances":[100000000]}');
    const good = await send(server, '/v1/models/add:predict', JSON.stringify({ instances: [{ x: 1, y: 2 }] }));
    expect(good).toEqual({ status: 200, json: { predictions: [3] } });
    expectClientErrorOf(await hostile, 422, 'request-timeout');
    // The model's thread is started again for the next request.
    expectClientErrorOf(await send(server, '/v1/models/grow:predict', '{"instances":["x"]}'), 400, 'invalid-record');
  }, 60_000);

  it("answers 422 when a call exhausts its thread's memory, and the server lives on", async () => {
    const perm = await send(server, '/v1/models/perm:predict', '{"instances":[[1,2,3,4,5,6,7,8,9,10,11,12]]}');
    expectClientErrorOf(perm, 422, /^(memory-limit|request-timeout|allocation-limit)$/);
    expect(await send(server, '/v1/models/add:predict', JSON.stringify({ instances: [{ x: 1, y: 2 }] }))).toEqual({
      status: 200,
      json: { predictions: [3] },
    });
    expect((await send(server, '/v1/models/perm:predict', '{"instances":[[1,2,3]]}')).json).toEqual({ predictions: [6] });
  }, 60_000);
});

describe('a reload with scoring in worker threads', () => {
  it('serves the new version from a new thread and stops the old one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trajan-isolated-reload-'));
    writeModels(root, { add: ADD });
    const server = await serveRepository(root, { isolateMemoryMb: 64 });
    try {
      const ask = () => send(server, '/v1/models/add:predict', JSON.stringify({ instances: [{ x: 2, y: 3 }] }));
      expect((await ask()).json).toEqual({ predictions: [5] });
      const first = server.repository.resolve('add')!;
      const file = join(root, 'add', '1', 'model.pfa');
      writeFileSync(`${file}.tmp`, JSON.stringify({ ...ADD, action: [{ '*': ['input.x', 'input.y'] }] }));
      renameSync(`${file}.tmp`, file);
      await server.repository.refresh();
      expect(server.repository.resolve('add')).not.toBe(first);
      expect((await ask()).json).toEqual({ predictions: [6] });
      // The replaced version's thread was closed: scoring there is refused now.
      await expect(first.score([{ x: 1, y: 1 }])).rejects.toThrow();
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

function expectClientErrorOf(a: Answer, status: number, code: string | RegExp): void {
  expect(a.status, JSON.stringify(a.json)).toBe(status);
  expect(typeof a.json?.error).toBe('string');
  expect(String(a.json.code)).toMatch(code);
}

describe('a PMML model scored in a worker thread', () => {
  it('answers as the model on the server thread does, missing values included', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trajan-isolated-pmml-'));
    mkdirSync(join(root, 'lin', '1'), { recursive: true });
    writeFileSync(
      join(root, 'lin', '1', 'model.pmml'),
      readFileSync(fileURLToPath(new URL('../fixtures/scoring/linear.pmml', import.meta.url))),
    );
    const isolated = await serveRepository(root, { isolateMemoryMb: 64 });
    const plain = await serveRepository(root, {});
    try {
      const body = JSON.stringify({ instances: [{ x: 2 }, { x: 2.5 }, { x: null }, {}] });
      const there = await send(isolated, '/v1/models/lin:predict', body);
      const here = await send(plain, '/v1/models/lin:predict', body);
      expect(there.status).toBe(200);
      expect(there.json).toEqual(here.json);
      expect(there.json.predictions[0]).toEqual({ y: 5 });
    } finally {
      await isolated.close();
      await plain.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
