/** A model as worker threads receive it: its text, and it scores as the model it came from. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { outcomesFromText, outcomesText } from '../../src/io/outcome-text.js';
import { scoreEach } from '../../src/io/outcomes.js';
import { modelFromWorkerData, workerData } from '../../src/io/portable-model.js';
import { loadModel } from '../../src/model.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/scoring/${name}`, import.meta.url)), 'utf8');

describe('models sent to worker threads', () => {
  it('sends a PMML model as its text, and it scores the same', () => {
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
