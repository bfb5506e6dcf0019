import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelServer } from '../../src/serve/server.js';
import { example, fixture, get, makeRepository, post, removeRepository, serveRepository } from './repo.js';

describe('KServe v2 / Open Inference Protocol', () => {
  let root: string;
  let server: ModelServer;
  beforeAll(async () => {
    root = makeRepository({
      total: { '1': fixture('scoring/total.pfa.yaml'), '2': fixture('scoring/total.pfa.yaml') },
      iris: { '3': example('iris-tree.pfa.json') },
    });
    server = await serveRepository(root);
  });
  afterAll(async () => {
    await server.close();
    removeRepository(root);
  });

  it('answers health, server metadata and readiness', async () => {
    expect(await get(`${server.url}/v2/health/live`)).toMatchObject({ status: 200, json: { live: true } });
    expect(await get(`${server.url}/v2/health/ready`)).toMatchObject({ status: 200, json: { ready: true } });
    expect((await get(`${server.url}/v2`)).json).toMatchObject({ name: 'trajan', extensions: [] });
    expect(await get(`${server.url}/v2/models/iris/ready`)).toMatchObject({ status: 200, json: { name: 'iris', ready: true } });
    expect((await get(`${server.url}/v2/models/iris/versions/9/ready`)).status).toBe(503);
  });

  it('describes a model with tensors from its Avro schemas', async () => {
    const r = await get(`${server.url}/v2/models/total`);
    expect(r.json).toEqual({
      name: 'total',
      versions: ['2', '1'],
      platform: 'trajan_pfa',
      inputs: [
        { name: 'x', datatype: 'FP64', shape: [-1] },
        { name: 'y', datatype: 'FP64', shape: [-1] },
        { name: 'label', datatype: 'BYTES', shape: [-1] },
      ],
      outputs: [
        { name: 'total', datatype: 'FP64', shape: [-1] },
        { name: 'label', datatype: 'BYTES', shape: [-1] },
      ],
    });
    expect((await get(`${server.url}/v2/models/nosuch`)).status).toBe(404);
  });

  it('infers a batch given as one tensor per field, on the newest or a chosen version', async () => {
    const inputs = [
      { name: 'x', shape: [2], datatype: 'FP64', data: [1, 2] },
      { name: 'y', shape: [2], datatype: 'FP64', data: [10, null] },
      { name: 'label', shape: [2], datatype: 'BYTES', data: ['a', 'b'] },
    ];
    const r = await post(`${server.url}/v2/models/total/infer`, { id: 'req-1', inputs });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      model_name: 'total',
      model_version: '2',
      id: 'req-1',
      outputs: [
        { name: 'total', datatype: 'FP64', shape: [2], data: [11, 2] },
        { name: 'label', datatype: 'BYTES', shape: [2], data: ['A', 'B'] },
      ],
    });
    const v1 = await post(`${server.url}/v2/models/total/versions/1/infer`, { inputs, outputs: [{ name: 'label' }] });
    expect(v1.json()).toMatchObject({ model_version: '1', outputs: [{ name: 'label', data: ['A', 'B'] }] });
  });

  it('scores a non-record result into one output tensor', async () => {
    const inputs = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map((name, i) => ({
      name,
      shape: [1, 1],
      datatype: 'FP64',
      data: [[[5.1, 3.5, 1.4, 0.2][i]]],
    }));
    const r = await post(`${server.url}/v2/models/iris/infer`, { inputs });
    expect(r.json().outputs).toEqual([{ name: 'output', datatype: 'BYTES', shape: [1], data: ['setosa'] }]);
  });

  it('answers 400 with the field path and reason for a bad request, never 500', async () => {
    const bad = await post(`${server.url}/v2/models/total/infer`, {
      inputs: [
        { name: 'x', shape: [1], datatype: 'BYTES', data: ['one'] },
        { name: 'y', shape: [1], datatype: 'FP64', data: [1] },
        { name: 'label', shape: [1], datatype: 'BYTES', data: ['a'] },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ record: 0, path: '/x' });
    expect(bad.json().error).toMatch(/record 0: \/x must/);
    const shape = await post(`${server.url}/v2/models/total/infer`, { inputs: [{ name: 'x', shape: [3], datatype: 'FP64', data: [1] }] });
    expect(shape).toMatchObject({ status: 400 });
    expect(shape.json().error).toMatch(/needs 3 values, got 1/);
    expect(
      (await post(`${server.url}/v2/models/total/infer`, { inputs: [{ name: 'z', shape: [1], datatype: 'FP64', data: [1] }] })).json()
        .error,
    ).toMatch(/unknown input z/);
    expect((await post(`${server.url}/v2/models/total/infer`, '{"inputs": [')).status).toBe(400);
    const failed = await post(`${server.url}/v2/models/total/infer`, {
      inputs: [
        { name: 'x', shape: [1], datatype: 'FP64', data: [1] },
        { name: 'y', shape: [1], datatype: 'FP64', data: [1] },
        { name: 'label', shape: [1], datatype: 'BYTES', data: ['boom'] },
      ],
    });
    expect(failed.status).toBe(422);
    expect(failed.json().error).toMatch(/label boom is not allowed/);
    expect(failed.json().code).toEqual(expect.anything());
  });
});
