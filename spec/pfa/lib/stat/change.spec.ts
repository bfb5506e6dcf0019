import { describe, expect, it } from 'vitest';
import { T } from '../../../../src/avro/types.js';
import { INT_MAX } from '../../../../src/avro/values.js';
import { loadPfa } from '../../../../src/index.js';
import { errorCode, implFor } from '../_direct-call.js';
import { record } from './_records.js';

describe('stat.change.updateTrigger', () => {
  const History = record('History', [
    ['numEvents', T.int],
    ['label', T.string],
    ['numRuns', T.int],
    ['currentRun', T.int],
    ['longestRun', T.int],
  ]);
  const update = implFor('stat.change.updateTrigger', [T.boolean, History], 0, History);
  const start = { numEvents: 0, label: 'keep', numRuns: 0, currentRun: 0, longestRun: 0 };

  it('counts events, runs and the longest run, copying other fields', () => {
    let h = start;
    for (const p of [true, true, false, true]) h = update(p, h);
    expect(h).toEqual({ numEvents: 3, label: 'keep', numRuns: 2, currentRun: 1, longestRun: 2 });
    expect(Object.keys(h)).toEqual(['numEvents', 'label', 'numRuns', 'currentRun', 'longestRun']);
    expect(start.numEvents).toBe(0);
  });

  it('counts events only when the predicate holds, as the reference engine does', () => {
    expect(update(false, { ...start, currentRun: 4, longestRun: 4 })).toEqual({ ...start, longestRun: 4 });
  });

  it('raises 37000 for a negative counter or one that would leave the int range', () => {
    expect(errorCode(() => update(false, { ...start, longestRun: -1 }))).toBe(37000);
    expect(errorCode(() => update(true, { ...start, numRuns: -1 }))).toBe(37000);
    expect(errorCode(() => update(true, { ...start, numEvents: INT_MAX }))).toBe(37000);
  });
});

describe('stat.change.zValue', () => {
  const MV = record('MV', [
    ['mean', T.double],
    ['variance', T.double],
  ]);
  const CMV = record('CMV', [
    ['count', T.double],
    ['mean', T.double],
    ['variance', T.double],
  ]);
  const z = implFor('stat.change.zValue', [T.double, MV], 0, T.double);
  const zc = implFor('stat.change.zValue', [T.double, CMV, T.boolean], 1, T.double);

  it('measures the distance from the mean in standard deviations', () => {
    expect(z(3, { mean: 1, variance: 4 })).toBe(1);
    expect(z(-1, { mean: 1, variance: 4 })).toBe(-1);
  });

  it("applies Bessel's correction only when asked", () => {
    expect(zc(3, { count: 5, mean: 1, variance: 4 }, false)).toBe(1);
    expect(zc(3, { count: 5, mean: 1, variance: 4 }, true)).toBeCloseTo(Math.sqrt(5 / 4), 15);
    expect(zc(3, { count: 0.5, mean: 1, variance: 4 }, true)).toBeNaN();
  });

  it('gives infinities or NaN for a zero variance and NaN for a negative one', () => {
    expect(z(2, { mean: 1, variance: 0 })).toBe(Infinity);
    expect(z(0, { mean: 1, variance: -0 })).toBe(-Infinity);
    expect(z(1, { mean: 1, variance: 0 })).toBeNaN();
    expect(z(2, { mean: 1, variance: -1 })).toBeNaN();
  });
});

describe('stat.change.updateCUSUM', () => {
  const cusum = implFor('stat.change.updateCUSUM', [T.double, T.double, T.double], 0, T.double);

  it('accumulates the log-likelihood ratio and resets at the floor', () => {
    expect(cusum(1, 2, 0)).toBe(3);
    expect(cusum(-5, 2, 0)).toBe(0);
    expect(cusum(-5, 2, -10)).toBe(-3);
  });

  it('resets on NaN instead of propagating it', () => {
    expect(cusum(NaN, 2, 0)).toBe(0);
  });
});

describe('through the engine', () => {
  it('chooses the unbiased z-value by its third argument', () => {
    const MV = { type: 'record', name: 'MV', fields: ['count', 'mean', 'variance'].map((name) => ({ name, type: 'double' })) };
    const engine = loadPfa({ input: MV, output: 'double', action: [{ 'stat.change.zValue': [3.0, 'input', true] }] });
    expect(engine.action({ count: 5, mean: 1, variance: 4 })).toBeCloseTo(Math.sqrt(5 / 4), 15);
  });
});
