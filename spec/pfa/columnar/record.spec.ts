/**
 * The per-record scorer of a columnar plan, both of its forms: the unrolled source of a small plan
 * (which tests each element inline) and the closure of a plan too large to unroll (which runs the
 * engine's generated input check of the plan's input type first). Both score an array of `width`
 * numbers as the closure lowering does, and throw MISS for every other input, so that the engine scores
 * it the generic way.
 */
import { describe, expect, it } from 'vitest';
import { T } from '../../../src/avro/types.js';
import type { AffineStep, Plan } from '../../../src/pfa/columnar/plan.js';
import { MISS, recordScorer } from '../../../src/pfa/columnar/record.js';
import { MAX_UNROLLED, programSize } from '../../../src/pfa/kernel/ir.js';
import { lowerClosure } from '../../../src/pfa/kernel/lower-closure.js';
import { loadPfa } from '../../../src/index.js';
import { linearModel } from '../../helpers/model-types.js';
import { seededRandom } from '../../helpers/random.js';

const r = seededRandom(7);

/** A linear plan over `width` inputs with random weights, its input an array of `items`. */
function linearPlan(width: number, items: 'double' | 'float' = 'double'): Plan {
  const step: AffineStep = {
    op: 'affine',
    inputs: width,
    outputs: 1,
    weights: [Array.from({ length: width }, () => r() - 0.5)],
    constants: [r()],
  };
  return { width, steps: [step], outputs: 1, result: 'scalar', input: T.array(T[items]) };
}

const SMALL = linearPlan(3);
const LARGE = linearPlan(MAX_UNROLLED + 1, 'float');

/** Inputs of the plan's width with one element (or the array) changed into something no scorer takes. */
function misses(width: number): unknown[] {
  const ok = () => Array.from({ length: width }, (_, i) => i / 2);
  const withAt = (j: number, x: unknown) => {
    const a: unknown[] = ok();
    a[j] = x;
    return a;
  };
  const holed = ok();
  delete holed[width - 1];
  const last = width - 1;
  return [
    null,
    undefined,
    1,
    'abc',
    {},
    { length: width },
    new Map([[0, 1]]),
    new Float64Array(width),
    ok().slice(1),
    [...ok(), 1],
    withAt(0, '1'),
    withAt(last, 1n),
    withAt(last >> 1, null),
    withAt(last, undefined),
    withAt(0, [1]),
    withAt(last, true),
    holed,
  ];
}

describe('the per-record scorer of a columnar plan', () => {
  it('has both forms under test: one plan unrolled, one too large to unroll', () => {
    expect(programSize(SMALL)).toBeLessThanOrEqual(MAX_UNROLLED);
    expect(programSize(LARGE)).toBeGreaterThan(MAX_UNROLLED);
  });

  for (const [name, plan] of [
    ['unrolled', SMALL],
    ['closure', LARGE],
  ] as const) {
    it(`${name}: scores arrays of numbers as the closure lowering does`, () => {
      const score = recordScorer(plan);
      const baseline = lowerClosure(plan);
      for (let k = 0; k < 20; k++) {
        const x = Array.from({ length: plan.width }, () => (k % 5 === 0 ? Math.round(r() * 10) : (r() - 0.5) * 1e3));
        if (k === 7) x[0] = Number.NaN;
        expect(score(x)).toBe(baseline(x));
      }
    });

    it(`${name}: throws MISS for anything but an array of width numbers`, () => {
      const score = recordScorer(plan);
      const thrown = (x: unknown) => {
        try {
          return { returned: score(x) };
        } catch (e) {
          return { threw: e };
        }
      };
      for (const x of misses(plan.width)) expect([x, thrown(x)]).toEqual([x, { threw: MISS }]);
    });
  }

  it('leaves a miss to the engine, which refuses it as an input mismatch with the validator’s words', () => {
    const width = MAX_UNROLLED + 1;
    const engine = loadPfa({
      input: { type: 'array', items: 'double' },
      output: 'double',
      cells: { m: { type: linearModel('scalar'), init: { coeff: new Array(width).fill(0.25), const: 1 } } },
      action: { 'model.reg.linear': ['input', { cell: 'm' }] },
    });
    expect(engine.columnar).toBeTruthy();
    expect(engine.action(new Array(width).fill(2))).toBe(width * 0.5 + 1);
    const bad: unknown[] = new Array(width).fill(2);
    bad[3] = 'x';
    expect(() => engine.action(bad)).toThrow(/\/3: expected double, got a string/);
  });
});
