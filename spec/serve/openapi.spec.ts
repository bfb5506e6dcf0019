import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelServer } from '../../src/serve/server.js';
import { example, fixture, get, makeRepository, post, removeRepository, serveRepository } from './repo.js';

describe('model schemas and the OpenAPI document', () => {
  let root: string;
  let server: ModelServer;
  beforeAll(async () => {
    root = makeRepository({ total: { '1': fixture('scoring/total.pfa.yaml') }, iris: { '1': example('iris-tree.pmml') } });
    server = await serveRepository(root);
  });
  afterAll(async () => {
    await server.close();
    removeRepository(root);
  });

  it('GET /v1/models/NAME[/versions/V]/schema: JSON Schemas that hold for real requests and answers', async () => {
    const r = await get(`${server.url}/v1/models/iris/schema`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ name: 'iris', version: '1' });
    const ajv = new Ajv2020({ strict: true });
    const input = ajv.compile(r.json.input);
    const output = ajv.compile(r.json.output);
    const instances = [{ 'sepal length': 5.1, 'sepal width': 3.5, 'petal length': 1.4, 'petal width': 0.2 }, { 'petal length': 4.8 }];
    for (const i of instances) expect(input(i)).toBe(true);
    expect(input({ 'sepal length': 'long' })).toBe(false);
    const answer = await post(`${server.url}/v1/models/iris:predict`, { instances });
    expect(answer.status).toBe(200);
    for (const p of answer.json().predictions) expect(output(p), JSON.stringify(output.errors)).toBe(true);

    const total = await get(`${server.url}/v1/models/total/versions/1/schema`);
    expect(total.json.input.required).toEqual(['x', 'label']);
    expect((await get(`${server.url}/v1/models/nosuch/schema`)).status).toBe(404);
  });

  it('GET /openapi.json: OpenAPI 3.1 with every route, the scoring bodies referring to the model schemas', async () => {
    const r = await get(`${server.url}/openapi.json`);
    expect(r.status).toBe(200);
    const doc = JSON.parse(r.text);
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/v2/health/live',
      '/v2/health/ready',
      '/v2',
      '/v2/models/{name}',
      '/v2/models/{name}/versions/{version}/infer',
      '/v2/models/{name}/ready',
      '/v1/models/{name}',
      '/v1/models/{name}/metadata',
      '/v1/models/{name}:predict',
      '/v1/models/{name}/schema',
      '/ping',
      '/health',
      '/invocations',
      '/metrics',
      '/openapi.json',
      '/v1/models/iris:predict',
      '/v1/models/total:predict',
    ]) {
      expect(paths).toContain(p);
    }
    // Every operation answers 200, and every path parameter is declared.
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const op of Object.values<any>(item)) {
        expect(op.responses['200']).toBeDefined();
        const declared = (op.parameters ?? []).map((p: { name: string }) => p.name).sort();
        expect(declared).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
      }
    }
    const predict = doc.paths['/v1/models/iris:predict'].post;
    const items = predict.requestBody.content['application/json'].schema.anyOf[0].properties.instances.items;
    expect(items).toEqual({ $ref: '#/components/schemas/iris.input' });
    // Each model's component validates that model's records on its own.
    const ajv = new Ajv2020({ strict: false });
    const component = doc.components.schemas['total.input'];
    expect(component.$id).toMatch(/^urn:trajan:model:total:input$/);
    expect(ajv.compile(component)({ x: 1, y: null, label: 'a' })).toBe(true);
  });

  it('keeps the existing routes and their answers', async () => {
    expect((await get(`${server.url}/v2/models/iris`)).json.platform).toBe('trajan_pmml');
    expect((await get(`${server.url}/v1/models/total/metadata`)).json.metadata.avro_schema.input.name).toBe('In');
    expect((await post(`${server.url}/v1/models/total:predict`, { instances: [{ x: 1, y: null, label: 'b' }] })).json()).toEqual({
      predictions: [{ total: 1, label: 'B' }],
    });
  });
});
