import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelServer } from '../../src/serve/server.js';
import { example, fixture, get, makeRepository, post, removeRepository, serveRepository } from './repo.js';

describe('SageMaker container contract and MLflow scoring formats on /invocations', () => {
  let root: string;
  let server: ModelServer;
  beforeAll(async () => {
    root = makeRepository({
      total: { '1': fixture('scoring/total.pfa.yaml') },
      iris: { '1': example('iris-tree.pfa.json') },
      linear: { '1': fixture('scoring/linear.pmml') },
    });
    server = await serveRepository(root, { defaultModel: 'total' });
  });
  afterAll(async () => {
    await server.close();
    removeRepository(root);
  });

  const url = () => `${server.url}/invocations`;

  it('answers /ping (SageMaker) and /health (MLflow) when the model is ready', async () => {
    expect((await get(`${server.url}/ping`)).status).toBe(200);
    expect((await get(`${server.url}/health`)).status).toBe(200);
  });

  it('reads MLflow dataframe_split, dataframe_records, instances and inputs', async () => {
    const expected = {
      predictions: [
        { total: 3, label: 'A' },
        { total: 1, label: 'B' },
      ],
    };
    const split = {
      dataframe_split: {
        columns: ['x', 'y', 'label'],
        data: [
          [1, 2, 'a'],
          [1, null, 'b'],
        ],
      },
    };
    expect((await post(url(), split)).json()).toEqual(expected);
    const records = [
      { x: 1, y: 2, label: 'a' },
      { x: 1, y: null, label: 'b' },
    ];
    expect((await post(url(), { dataframe_records: records })).json()).toEqual(expected);
    expect((await post(url(), { instances: records })).json()).toEqual(expected);
    expect((await post(url(), { inputs: { x: [1, 1], y: [2, null], label: ['a', 'b'] } })).json()).toEqual(expected);
  });

  it('reads CSV with a header (MLflow) or without (SageMaker) and answers in the Accept format', async () => {
    const csv = await post(url(), 'x,y,label\n1,2,a\n1,,b\n', { 'content-type': 'text/csv' });
    expect(csv.json()).toEqual({
      predictions: [
        { total: 3, label: 'A' },
        { total: 1, label: 'B' },
      ],
    });
    const bare = await post(url(), '1,2,a\n', { 'content-type': 'text/csv', accept: 'text/csv' });
    expect(bare).toMatchObject({ status: 200, text: '3,A\n' });
    expect(bare.type).toMatch(/^text\/csv/);
    const lines = await post(url(), '{"x": 1, "y": 2, "label": "a"}\n{"x": 2, "y": null, "label": "b"}\n', {
      'content-type': 'application/jsonlines',
      accept: 'application/jsonlines',
    });
    expect(lines.text).toBe('{"total":3,"label":"A"}\n{"total":2,"label":"B"}\n');
  });

  it('scores another model named by the SageMaker multi-model header', async () => {
    const r = await post(url(), [{ sepal_length: 6.3, sepal_width: 3.3, petal_length: 6.0, petal_width: 2.5 }], {
      'x-amzn-sagemaker-target-model': 'iris',
    });
    expect(r.json()).toEqual({ predictions: ['virginica'] });
  });

  it('serves a PMML model.pmml, whose fields may be missing, validated by its data dictionary', async () => {
    const target = { 'x-amzn-sagemaker-target-model': 'linear' };
    expect((await post(url(), { dataframe_split: { columns: ['x'], data: [[3], [null]] } }, target)).json()).toEqual({
      predictions: [{ y: 7 }, { y: null }],
    });
    expect((await post(url(), 'x\n2\n', { ...target, 'content-type': 'text/csv' })).json()).toEqual({ predictions: [{ y: 5 }] });
    const bad = await post(url(), [{ x: 'three' }], target);
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ record: 0, path: '/x' });
  });

  it('answers 400 with the path and reason for bad requests', async () => {
    const bad = await post(url(), { dataframe_records: [{ x: 'one', y: null, label: 'a' }] });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ record: 0, path: '/x' });
    const cell = await post(url(), 'x,y,label\nabc,1,a\n', { 'content-type': 'text/csv' });
    expect(cell.status).toBe(400);
    expect(cell.json().error).toMatch(/column x: expected double/);
    expect((await post(url(), { dataframe_split: { columns: ['x'], data: 5 } })).status).toBe(400);
    expect((await post(url(), 'x,y\n"unterminated', { 'content-type': 'text/csv' })).status).toBe(400);
  });
});
