/** A model as worker threads receive it: PFA as its text, a loaded PMML model lowered; either scores as the model it came from. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { outcomesFromText, outcomesText } from '../../src/io/outcome-text.js';
import { scoreEach } from '../../src/io/outcomes.js';
import { modelFromWorkerData, workerData } from '../../src/io/portable-model.js';
import { loadModel, type Model } from '../../src/model.js';
import { partsOf, PmmlModel } from '../../src/pmml/model.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/scoring/${name}`, import.meta.url)), 'utf8');
const example = (name: string) => readFileSync(fileURLToPath(new URL(`../../examples/${name}`, import.meta.url)), 'utf8');

/** Everything a caller reads of a model but its scores. */
const face = (m: Model) => ({
  format: m.format,
  inputFields: m.inputFields,
  targetFields: m.targetFields,
  outputFields: m.outputFields,
  wire: m.wire,
  jsonSchema: m.jsonSchema(),
});

describe('models sent to worker threads', () => {
  it('sends a PMML model as its text when no loaded model is given', () => {
    const text = fixture('linear.pmml');
    const model = loadModel(text, { allowExtraFields: true });
    const data = workerData(text, { allowExtraFields: true });
    expect(data).toEqual({ source: text, loadOptions: { allowExtraFields: true } });
    // What a thread receives is a structured clone.
    const copy = modelFromWorkerData(structuredClone(data));
    const records = [{ x: 1 }, { x: '2.5' }, { x: null }, {}, { x: 'abc' }, { x: 3, other: 1 }, [1]];
    expect(scoreEach(copy, records)).toEqual(scoreEach(model, records));
    expect(copy.score({ x: 2 })).toEqual({ y: 5 });
  });

  it('sends a loaded PMML model lowered, and the copy scores and describes itself as the model does', () => {
    const text = fixture('linear.pmml');
    const model = loadModel(text, { allowExtraFields: true });
    const data = workerData(text, { allowExtraFields: true }, model);
    expect('source' in data).toBe(false);
    const copy = modelFromWorkerData(structuredClone(data));
    expect(copy).toBeInstanceOf(PmmlModel);
    const records = [{ x: 1 }, { x: '2.5' }, { x: null }, {}, { x: 'abc' }, { x: 3, other: 1 }, [1]];
    expect(scoreEach(copy, records)).toEqual(scoreEach(model, records));
    expect(face(copy)).toEqual(face(model));
    expect((copy as PmmlModel).pfa).toEqual((model as PmmlModel).pfa);
  });

  it('gives the copy of a lowered model the load options sent with it', () => {
    const text = fixture('linear.pmml');
    const model = loadModel(text, { allowExtraFields: true, maxTreeDepth: 50 });
    const strict = modelFromWorkerData(structuredClone(workerData(text, {}, model)));
    expect(() => strict.score({ x: 3, other: 1 })).toThrow(/other/);
    const lenient = modelFromWorkerData(structuredClone(workerData(text, { allowExtraFields: true, maxTreeDepth: 50 }, model)));
    expect(lenient.score({ x: 3, other: 1 })).toEqual(model.score({ x: 3, other: 1 }));
  });

  it('builds a lowered tree with its Output fields, field metadata and missing values as the model has them', () => {
    const model = loadModel(example('iris-tree.pmml')) as PmmlModel;
    const copy = modelFromWorkerData(structuredClone(workerData('', {}, model)));
    const rows = example('iris.jsonl')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, number>)
      .map((r) => ({
        'sepal length': r.sepal_length,
        'sepal width': r.sepal_width,
        'petal length': r.petal_length,
        'petal width': r.petal_width,
      }));
    const records = [...rows, { 'petal length': null }, {}, { 'petal width': 'wide' }];
    expect(rows.length).toBeGreaterThan(2);
    expect(scoreEach(copy, records)).toEqual(scoreEach(model, records));
    expect(face(copy)).toEqual(face(model));
    expect(model.outputFields.map((f) => f.name)).toContain('probability(virginica)');
    // The parts are plain data: a structured clone keeps every one of them.
    expect(structuredClone(partsOf(model))).toEqual(partsOf(model));
  });

  it('sends a PFA document as its text', () => {
    const text = fixture('total.pfa.yaml');
    const data = workerData(text);
    expect(data).toEqual({ source: text, loadOptions: {} });
    expect(modelFromWorkerData(data).score({ x: 1, y: null, label: 'a' })).toEqual({ total: 1, label: 'A' });
  });
});

describe('outcomes as JSON text', () => {
  it('reads back exactly what was written', () => {
    const outcomes = [
      { ok: true as const, value: { a: [1, 'ü', null, { b: -1.5e-300 }], __proto__x: 1 } },
      { ok: false as const, error: 'no', code: 'user-error', kind: 'runtime' as const },
    ];
    expect(outcomesFromText(outcomesText(outcomes)!)).toEqual(outcomes);
  });

  it('declines values JSON would change, so they go by structured clone', () => {
    for (const value of [NaN, Infinity, -0, 10n, undefined, new Date(0), new Uint8Array(2), { a: undefined }, [undefined]]) {
      expect(outcomesText([{ ok: true, value: { v: value } }])).toBeUndefined();
    }
  });
});
