import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelServer } from '../../src/serve/server.js';
import { example, fixture, get, makeRepository, post, removeRepository, serveRepository } from './repo.js';

describe('TF Serving REST API', () => {
  let root: string;
  let server: ModelServer;
  beforeAll(async () => {
    root = makeRepository({
      total: { '1': fixture('scoring/total.pfa.yaml'), '2': fixture('scoring/total.pfa.yaml') },
      iris: { '1': example('iris-tree.pfa.json') },
    });
    server = await serveRepository(root);
  });
  afterAll(async () => {
    await server.close();
    removeRepository(root);
  });

  it('reports the status of every version, or of one', async () => {
    const ok = { state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } };
    expect((await get(`${server.url}/v1/models/total`)).json).toEqual({
      model_version_status: [
        { version: '2', ...ok },
        { version: '1', ...ok },
      ],
    });
    expect((await get(`${server.url}/v1/models/total/versions/1`)).json).toEqual({ model_version_status: [{ version: '1', ...ok }] });
    expect((await get(`${server.url}/v1/models/nosuch`)).status).toBe(404);
  });

  it('serves metadata with a signature and the Avro schemas', async () => {
    const r = await get(`${server.url}/v1/models/total/versions/1/metadata`);
    expect(r.json.model_spec).toEqual({ name: 'total', signature_name: '', version: '1' });
    const sig = r.json.metadata.signature_def.signature_def.serving_default;
    expect(sig.inputs.x).toEqual({ name: 'x', dtype: 'DT_DOUBLE', tensor_shape: { dim: [{ size: '-1' }] } });
    expect(sig.outputs.label.dtype).toBe('DT_STRING');
    expect(r.json.metadata.avro_schema.input.name).toBe('In');
  });

  it('predicts in the row format: instances → predictions (plain values for nullable fields)', async () => {
    const r = await post(`${server.url}/v1/models/total:predict`, {
      instances: [
        { x: 1, y: 2, label: 'a' },
        { x: 1, y: null, label: 'b' },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({
      predictions: [
        { total: 3, label: 'A' },
        { total: 1, label: 'B' },
      ],
    });
    const iris = await post(`${server.url}/v1/models/iris/versions/1:predict`, {
      instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }],
    });
    expect(iris.json()).toEqual({ predictions: ['setosa'] });
  });

  it('predicts in the columnar format: inputs → outputs', async () => {
    const r = await post(`${server.url}/v1/models/total/versions/2:predict`, {
      signature_name: 'serving_default',
      inputs: { x: [1, 2], y: [{ double: 1 }, null], label: ['a', 'b'] },
    });
    expect(r.json()).toEqual({ outputs: { total: [2, 2], label: ['A', 'B'] } });
  });

  it('answers 400 with the path and reason for a bad request, 404 for an unknown model or verb', async () => {
    const bad = await post(`${server.url}/v1/models/total:predict`, {
      instances: [
        { x: 1, y: 2, label: 'a' },
        { x: 1, y: 'two', label: 'b' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ record: 1, path: '/y' });
    expect((await post(`${server.url}/v1/models/total:predict`, { instances: [{ x: 1, y: 2 }] })).json().reason).toMatch(
      /must have required property 'label'/,
    );
    expect((await post(`${server.url}/v1/models/total:predict`, { inputs: { x: [1, 2], y: [1] } })).json().error).toMatch(/same length/);
    expect((await post(`${server.url}/v1/models/total:predict`, { rows: [] })).status).toBe(400);
    expect((await post(`${server.url}/v1/models/nosuch:predict`, { instances: [] })).status).toBe(404);
    expect((await post(`${server.url}/v1/models/total:classify`, { instances: [] })).status).toBe(404);
  });
});
