/**
 * Request decoding of every protocol under random bodies and random mutations of valid ones: every
 * answer is 2xx, or 4xx with a JSON error and a code; never 5xx, never a crash. Fixed seeds and a
 * bounded number of runs, so a failure reproduces.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelServer } from '../../src/serve/server.js';
import { serveRepository } from './repo.js';

const MODELS: Record<string, unknown> = {
  add: {
    name: 'add',
    input: {
      type: 'record',
      name: 'In',
      fields: [
        { name: 'x', type: 'double' },
        { name: 'y', type: ['null', 'double'] },
        { name: 'tags', type: { type: 'array', items: 'string' } },
      ],
    },
    output: {
      type: 'record',
      name: 'Out',
      fields: [
        { name: 'sum', type: 'double' },
        { name: 'n', type: 'int' },
      ],
    },
    action: [
      {
        new: { sum: { '+': ['input.x', { ifnotnull: { v: 'input.y' }, then: 'v', else: 0 }] }, n: { 'a.len': ['input.tags'] } },
        type: 'Out',
      },
    ],
  },
  vec: { name: 'vec', input: { type: 'array', items: 'double' }, output: 'double', action: [{ 'a.sum': ['input'] }] },
};

/** Valid bodies per endpoint, which the mutations start from. */
const VALID: { url: string; type: string; body: unknown }[] = [
  {
    url: '/v1/models/add:predict',
    type: 'application/json',
    body: {
      instances: [
        { x: 1, y: null, tags: ['a'] },
        { x: 2, y: 3, tags: [] },
      ],
    },
  },
  { url: '/v1/models/add:predict', type: 'application/json', body: { inputs: { x: [1, 2], y: [null, 2], tags: [['a'], []] } } },
  { url: '/v1/models/vec:predict', type: 'application/json', body: { instances: [[1, 2], [3]] } },
  {
    url: '/v2/models/add/infer',
    type: 'application/json',
    body: {
      inputs: [
        { name: 'x', shape: [2], datatype: 'FP64', data: [1, 2] },
        { name: 'y', shape: [2], datatype: 'FP64', data: [3, null] },
        { name: 'tags', shape: [2, 1], datatype: 'BYTES', data: [['a'], ['b']] },
      ],
      outputs: [{ name: 'sum' }],
    },
  },
  {
    url: '/v2/models/vec/infer',
    type: 'application/json',
    body: { inputs: [{ name: 'v', shape: [2, 2], datatype: 'FP64', data: [1, 2, 3, 4] }] },
  },
  { url: '/invocations', type: 'application/json', body: { dataframe_split: { columns: ['x', 'y', 'tags'], data: [[1, 2, ['a']]] } } },
  { url: '/invocations', type: 'application/json', body: { dataframe_records: [{ x: 1, y: 2, tags: [] }] } },
  { url: '/invocations', type: 'application/json', body: { instances: [{ x: 1, y: 2, tags: [] }] } },
  { url: '/invocations', type: 'application/json', body: { inputs: { x: [1], y: [2], tags: [[]] } } },
];

/** Every path into a JSON value, each a list of keys. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) for (const [i, x] of v.entries()) paths(x, [...prefix, i], out);
  else if (v !== null && typeof v === 'object')
    for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...prefix, k], out);
  return out;
}

/** `v` with the value at `path` replaced (or, for `undefined`, removed). */
function replaced(v: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(v) ? [...v] : { ...(v as object) };
  if (rest.length === 0 && value === undefined) {
    if (Array.isArray(copy)) copy.splice(head as number, 1);
    else delete copy[head!];
  } else copy[head!] = replaced(copy[head!], rest, value);
  return copy;
}

const anyJson = fc.jsonValue({ maxDepth: 4 });
const replacement = fc.oneof(
  anyJson,
  fc.constant(undefined),
  fc.constantFrom(-1, 1e8, 1.5, 2 ** 53, -0, '', 'FP64', 'INT32', 'BOOL', 'BYTES', 'nope', '__proto__', null, [], {}, [[[[]]]]),
);

describe('request decoding under fuzzing', () => {
  let root: string;
  let server: ModelServer;
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'trajan-fuzz-'));
    for (const [name, doc] of Object.entries(MODELS)) {
      mkdirSync(join(root, name, '1'), { recursive: true });
      writeFileSync(join(root, name, '1', 'model.pfa'), JSON.stringify(doc));
    }
    server = await serveRepository(root, { defaultModel: 'add', limits: { maxElements: 5_000, maxDepth: 16 } });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function expectNoServerError(url: string, type: string, payload: string): Promise<void> {
    const r = await server.app.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });
    const context = `${url} ${payload.slice(0, 300)} → ${r.statusCode} ${r.body.slice(0, 300)}`;
    expect(r.statusCode, context).toBeLessThan(500);
    expect(r.statusCode, context).toBeGreaterThanOrEqual(200);
    if (r.statusCode >= 400) {
      const body = JSON.parse(r.body);
      expect(typeof body.error, context).toBe('string');
      expect(['string', 'number'], context).toContain(typeof body.code);
    }
  }

  it('answers mutations of valid bodies with 2xx or a 4xx JSON error', async () => {
    const mutation = fc.record({
      which: fc.nat({ max: VALID.length - 1 }),
      edits: fc.array(fc.tuple(fc.nat(), replacement), { minLength: 1, maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ which, edits }) => {
        const { url, type } = VALID[which]!;
        let body: unknown = VALID[which]!.body;
        for (const [at, value] of edits) {
          const all = paths(body);
          body = replaced(body, all[at % all.length]!, value);
        }
        await expectNoServerError(url, type, JSON.stringify(body) ?? 'null');
      }),
      { seed: 20261205, numRuns: 400 },
    );
  });

  it('answers KServe tensors of any name, shape, datatype and data', async () => {
    const datatypes = ['BOOL', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'FP16', 'FP32', 'FP64', 'BYTES'];
    const scalar = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.constantFrom(2 ** 31, -(2 ** 63), 300, -1, 0.5),
      fc.boolean(),
      fc.string({ maxLength: 4 }),
      fc.constant(null),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
    );
    // Mostly well-formed tensors, so that decoding gets past the first check and reaches the later ones.
    const tensor = fc
      .record({
        name: fc.constantFrom('x', 'y', 'tags', 'v', 'nope', '__proto__'),
        shape: fc.oneof(
          {
            arbitrary: fc.array(
              fc.oneof(
                { arbitrary: fc.integer({ min: 0, max: 3 }), weight: 12 },
                { arbitrary: fc.constantFrom(-1, 1e8, 1.5, 2 ** 53, 1e6), weight: 1 },
              ),
              { minLength: 1, maxLength: 3 },
            ),
            weight: 15,
          },
          { arbitrary: anyJson, weight: 1 },
        ),
        datatype: fc.oneof({ arbitrary: fc.constantFrom(...datatypes), weight: 15 }, { arbitrary: anyJson, weight: 1 }),
        data: fc.oneof(
          { arbitrary: fc.array(fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxLength: 6 }), weight: 15 },
          { arbitrary: anyJson, weight: 1 },
        ),
        drop: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 20 },
          { arbitrary: fc.constantFrom('name', 'shape', 'datatype', 'data'), weight: 1 },
        ),
      })
      .map(({ drop, ...t }) => Object.fromEntries(Object.entries(t).filter(([k]) => k !== drop)));
    const body = fc.record(
      {
        inputs: fc.array(tensor, { minLength: 1, maxLength: 3 }),
        outputs: fc.option(fc.array(fc.record({ name: fc.string({ maxLength: 4 }) }), { maxLength: 2 })),
      },
      { requiredKeys: ['inputs'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v2/models/add/infer', '/v2/models/vec/infer'), body, async (url, b) => {
        await expectNoServerError(url, 'application/json', JSON.stringify(b));
      }),
      { seed: 4242, numRuns: 500 },
    );
  });

  it('answers TF Serving and MLflow records with values of any type', async () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.string({ maxLength: 4 }),
      fc.constant(null),
      fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
    );
    const record = fc.dictionary(fc.constantFrom('x', 'y', 'tags', 'z', 'constructor', 'double'), value, { maxKeys: 4 });
    const rows = fc.array(record, { maxLength: 4 });
    const columns = fc.dictionary(fc.constantFrom('x', 'y', 'tags', 'z'), fc.array(value, { maxLength: 3 }), { maxKeys: 3 });
    const split = fc.record({
      columns: fc.array(fc.oneof(fc.constantFrom('x', 'y', 'tags'), anyJson), { maxLength: 4 }),
      data: fc.array(fc.array(value, { maxLength: 4 }), { maxLength: 4 }),
    });
    const request = fc.oneof(
      rows.map((r) => ['/v1/models/add:predict', { instances: r }] as const),
      columns.map((c) => ['/v1/models/add:predict', { inputs: c }] as const),
      split.map((d) => ['/invocations', { dataframe_split: d }] as const),
      rows.map((r) => ['/invocations', { dataframe_records: r }] as const),
      columns.map((c) => ['/invocations', { inputs: c }] as const),
      rows.map((r) => ['/invocations', r] as const),
    );
    await fc.assert(
      fc.asyncProperty(request, async ([url, b]) => {
        await expectNoServerError(url, 'application/json', JSON.stringify(b));
      }),
      { seed: 9001, numRuns: 500 },
    );
  });

  it('answers random bodies, and random text, on every endpoint', async () => {
    const urls = [...new Set(VALID.map((v) => v.url))];
    const text = fc.oneof(
      anyJson.map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 60 }),
      fc.constantFrom('{"inputs": [', '[[[[', '{"__proto__": {"a": 1}}', 'x,y\n1,2', '\u0000'),
    );
    const types = fc.constantFrom('application/json', 'text/csv', 'application/jsonlines');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...urls), types, text, async (url, type, payload) => {
        await expectNoServerError(url, type, payload);
      }),
      { seed: 5120, numRuns: 300 },
    );
  });

  it('answers CSV and JSON lines records of any shape on /invocations', async () => {
    const cell = fc.oneof(
      fc.constantFrom('', '1', '-2.5', 'null', 'true', '"q"', '[1]', '__proto__', 'constructor'),
      fc.string({ maxLength: 5 }),
    );
    const csv = fc
      .array(fc.array(cell, { minLength: 0, maxLength: 4 }), { maxLength: 5 })
      .map((rows) => ['x,y,tags', ...rows.map((r) => r.join(','))].join('\n'));
    const jsonl = fc.array(anyJson, { maxLength: 4 }).map((vs) => vs.map((v) => JSON.stringify(v)).join('\n'));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          csv.map((t) => ['text/csv', t] as const),
          jsonl.map((t) => ['application/jsonlines', t] as const),
        ),
        async ([type, payload]) => {
          await expectNoServerError('/invocations', type, payload);
        },
      ),
      { seed: 77, numRuns: 200 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
  });
});
