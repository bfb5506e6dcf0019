import { describe, expect, it } from 'vitest';
import { loadModel, loadPfa, type PfaEngine } from '../../../src/index.js';
import { errorCode } from '../lib/_direct-call.js';
import { ARRAY, LAYER, linearModel } from '../../helpers/model-types.js';

const VECTOR_MODEL = linearModel('vector', 'V');
const SCALAR_MODEL = linearModel('scalar');

function uniform(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
const random = uniform(3);
const matrix = (rows: number, cols: number, scale: number) =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => (random() - 0.5) * scale));

/** Rows of `width` values, with the values that stress the kernels mixed in: NaN, infinities, -0, huge scores. */
function inputs(count: number, width: number): number[][] {
  const special = [NaN, Infinity, -Infinity, -0, 0, 1e308, -1e308, 700, -800];
  return Array.from({ length: count }, (_, i) =>
    Array.from({ length: width }, (_, j) => (i % 7 === 3 && j === i % width ? special[i % special.length]! : (random() - 0.5) * 20)),
  );
}

const DOCS = {
  linear: {
    input: ARRAY,
    output: 'double',
    cells: { model: { type: SCALAR_MODEL, init: { coeff: matrix(1, 9, 2)[0], const: 0.25 } } },
    action: { 'model.reg.linear': ['input', { cell: 'model' }] },
  },
  logistic: {
    input: ARRAY,
    output: 'double',
    cells: { model: { type: SCALAR_MODEL, init: { coeff: matrix(1, 9, 2)[0], const: -1 } } },
    action: { 'm.link.logit': { 'model.reg.linear': ['input', { cell: 'model' }] } },
  },
  softmax: {
    input: ARRAY,
    output: ARRAY,
    cells: { model: { type: VECTOR_MODEL, init: { coeff: matrix(5, 9, 1), const: [0, 1, 2, 3, 4] } } },
    action: { 'm.link.softmax': { 'model.reg.linear': ['input', { cell: 'model' }] } },
  },
  wide: {
    input: ARRAY,
    output: ARRAY,
    cells: { model: { type: VECTOR_MODEL, init: { coeff: matrix(500, 9, 1), const: Array.from({ length: 500 }, (_, i) => i / 100) } } },
    action: { 'm.link.softmax': { 'model.reg.linear': ['input', { cell: 'model' }] } },
  },
  network: {
    input: ARRAY,
    output: ARRAY,
    cells: {
      layers: {
        type: { type: 'array', items: LAYER },
        init: [
          { weights: matrix(7, 9, 1), bias: [1, 2, 3, 4, 5, 6, 7] },
          { weights: matrix(3, 7, 2), bias: [0, 0, 0] },
          { weights: matrix(2, 3, 2), bias: [0.5, -0.5] },
        ],
      },
    },
    action: { 'model.neural.simpleLayers': ['input', { cell: 'layers' }, { fcn: 'm.link.logit' }] },
  },
};

function columnsOf(engine: PfaEngine, rows: number[][]) {
  const batch = engine.createBatch(rows.length, 9);
  for (const [j, column] of batch.columns.entries()) for (const [i, r] of rows.entries()) column[i] = r[j]!;
  return batch;
}

describe('scoreBatch', () => {
  for (const [name, doc] of Object.entries(DOCS)) {
    it(`${name}: action, columns and rows give the closure backend's results to the bit, at every batch size`, () => {
      const engine = loadPfa(doc);
      const closures = loadPfa(doc, { backend: 'closures' });
      expect(engine.columnar).toBe(true);
      for (const count of [0, 1, 7, 8, 9, 33, 1000]) {
        const rows = inputs(count, 9);
        // toEqual tells -0 from 0 and takes NaN as equal to NaN: the bits that matter here.
        const expected = rows.map((r) => closures.action(r));
        expect(rows.map((r) => engine.action(r))).toEqual(expected);
        expect(engine.scoreBatch(columnsOf(engine, rows))).toEqual(expected);
        expect(engine.scoreBatch(rows)).toEqual(expected);
        expect(closures.scoreBatch(rows)).toEqual(expected);
        expect(closures.scoreBatch(columnsOf(closures, rows))).toEqual(expected);
      }
    });
  }

  it("action leaves what its plan's scorer does not take to the generic path: the same values and errors as the closure backend", () => {
    const awkward = [
      [1, 2, 3],
      [...inputs(1, 9)[0]!, 1],
      'text',
      null,
      { 0: 1, length: 9 },
      new Float64Array(9),
      [1, 2, 3, 4, 5, 6, 7, 8, '9'],
      Array(9),
      [1, 2, 3, 4, 5, 6, 7, 8, 9n],
    ];
    const outcome = (f: () => unknown) => {
      try {
        return { value: f() };
      } catch (e) {
        return { error: (e as { code?: unknown }).code };
      }
    };
    for (const doc of Object.values(DOCS)) {
      for (const validateInput of [true, false]) {
        const engine = loadPfa(doc, { validateInput });
        const closures = loadPfa(doc, { backend: 'closures', validateInput });
        for (const x of awkward) expect(outcome(() => engine.action(x))).toEqual(outcome(() => closures.action(x)));
      }
    }
  });

  it("a PFA model's scoreBatch scores JSON records through the kernels, as score does one by one", () => {
    const model = loadModel<number[]>(JSON.stringify(DOCS.softmax));
    const rows = inputs(20, 9).map((r) => r.map((v) => (Number.isFinite(v) ? v : 0)));
    expect(model.scoreBatch(rows)).toEqual(rows.map((r) => model.score(r)));
    expect(() => model.scoreBatch([...rows, [1, 2]])).toThrow();
  });

  it('the row runner is reused and grown: a smaller batch after a larger one, then a larger one', () => {
    const engine = loadPfa(DOCS.network);
    for (const count of [50, 3, 200]) {
      const rows = inputs(count, 9);
      expect(engine.scoreBatch(rows)).toEqual(rows.map((r) => engine.action(r)));
    }
  });

  it('inputs the kernels cannot take go through action, with its errors', () => {
    const engine = loadPfa(DOCS.logistic);
    const rows = inputs(20, 9);
    expect(engine.scoreBatch([...rows, [1, 2, 3, 4, 5, 6, 7, 8, 9]])).toEqual(
      [...rows, [1, 2, 3, 4, 5, 6, 7, 8, 9]].map((r) => engine.action(r)),
    );
    expect(errorCode(() => engine.scoreBatch([...rows, [1, 2]]))).toBe(31000);
    expect(errorCode(() => engine.scoreBatch([...rows, [1, 2, 3, 4, 5, 6, 7, 8, 'x']]))).toBe('input-mismatch');
    // A batch of another width is scored record by record: each record is misaligned.
    const narrow = engine.createBatch(4, 3);
    expect(errorCode(() => engine.scoreBatch(narrow))).toBe(31000);
  });

  it('counts every record as an action started and finished', () => {
    const doc = { ...DOCS.linear, end: [{ log: ['actionsStarted', 'actionsFinished'] }] };
    const messages: string[] = [];
    const engine = loadPfa(doc, { onLog: (m) => messages.push(m) });
    engine.scoreBatch(inputs(12, 9));
    engine.scoreBatch(columnsOf(engine, inputs(5, 9)));
    engine.action(inputs(1, 9)[0]);
    engine.end();
    expect(messages).toEqual(['18 18']);
  });

  it('runs begin before the first planned action, and counts actions for a begin that reads them', () => {
    const doc = {
      ...DOCS.linear,
      begin: [{ log: [{ string: 'begin' }] }],
      end: [{ log: ['actionsFinished'] }],
    };
    const messages: string[] = [];
    const engine = loadPfa(doc, { onLog: (m) => messages.push(m) });
    expect(engine.columnar).toBeTruthy();
    const [x, y] = inputs(2, 9);
    const plain = loadPfa(DOCS.linear);
    expect(engine.action(x)).toBe(plain.action(x));
    expect(messages).toEqual(['"begin"']);
    expect(engine.action(y)).toBe(plain.action(y));
    engine.end();
    expect(messages).toEqual(['"begin"', '2']);
  });

  it('record inputs get a column per field and are scored record by record', () => {
    const doc = {
      input: {
        type: 'record',
        name: 'R',
        fields: [
          { name: 'a', type: 'double' },
          { name: 'b', type: 'float' },
        ],
      },
      output: 'double',
      action: { '-': ['input.a', 'input.b'] },
    };
    const engine = loadPfa(doc);
    const batch = engine.createBatch(3);
    expect(batch.names).toEqual(['a', 'b']);
    batch.columns[0]!.set([1, 2, 3]);
    batch.columns[1]!.set([0.5, 0.25, 4]);
    expect(engine.scoreBatch(batch)).toEqual([0.5, 1.75, -1]);
    expect(engine.scoreBatch([{ a: 1, b: 1 }])).toEqual([0]);
  });

  it('createBatch refuses inputs that are not numbers by column, and arrays of unknown width', () => {
    expect(errorCode(() => loadPfa({ input: 'string', output: 'string', action: 'input' }).createBatch(2))).toBe('batch-unsupported');
    expect(errorCode(() => loadPfa({ input: ARRAY, output: 'double', action: { 'a.sum': ['input'] } }).createBatch(2))).toBe(
      'batch-unsupported',
    );
    expect(errorCode(() => loadPfa(DOCS.linear).createBatch(-1))).toBe('batch-unsupported');
    const sum = loadPfa({ input: ARRAY, output: 'double', action: { 'a.sum': ['input'] } });
    const batch = sum.createBatch(2, 3);
    for (const [j, c] of batch.columns.entries()) c.set([j, 10 * j]);
    expect(sum.scoreBatch(batch)).toEqual([3, 30]);
  });
});
