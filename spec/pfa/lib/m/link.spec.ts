import { describe, expect, it } from 'vitest';
import { T } from '../../../../src/avro/types.js';
import { errorCode, implFor } from '../_direct-call.js';
import { loadPfa } from '../../../../src/index.js';

const ARRAY = T.array(T.double);
const MAP = T.map(T.double);
const scalar = (name: string) => implFor(`m.link.${name}`, [T.double], 0, T.double);
const onArray = (name: string) => implFor(`m.link.${name}`, [ARRAY], 1, ARRAY);
const onMap = (name: string) => implFor(`m.link.${name}`, [MAP], 2, MAP);

describe('m.link.softmax', () => {
  const arr = implFor('m.link.softmax', [ARRAY], 0, ARRAY);
  const map = implFor('m.link.softmax', [MAP], 1, MAP);

  it('normalises exponentials to sum to one', () => {
    const out = arr([1e-5, 0.99999]) as number[];
    expect(out[0]).toBeCloseTo(0.2689453536268315, 15);
    expect(out[1]).toBeCloseTo(0.7310546463731685, 15);
    expect(arr([0])).toEqual([1]);
  });

  it('does not overflow on large scores', () => {
    expect(arr([1000, 1000])).toEqual([0.5, 0.5]);
    const out = arr([-1000, 1]) as number[];
    expect(out[1]).toBe(1);
  });

  it('keeps the keys of a map', () => {
    const out = map(
      new Map([
        ['a', 0],
        ['b', Math.log(3)],
      ]),
    ) as Map<string, number>;
    expect([...out.keys()]).toEqual(['a', 'b']);
    expect(out.get('a')).toBeCloseTo(0.25, 15);
    expect(out.get('b')).toBeCloseTo(0.75, 15);
  });

  it('is NaN throughout when an input is NaN or infinite', () => {
    expect((arr([1, NaN]) as number[]).every(Number.isNaN)).toBe(true);
    expect((arr([1, Infinity]) as number[]).every(Number.isNaN)).toBe(true);
  });

  it('raises 25000 on empty input', () => {
    expect(errorCode(() => arr([]))).toBe(25000);
    expect(errorCode(() => map(new Map()))).toBe(25000);
  });

  it('does not modify its argument', () => {
    const x = [1, 2, 3];
    arr(x);
    expect(x).toEqual([1, 2, 3]);
  });
});

describe('element-wise links', () => {
  it('logit', () => {
    expect(scalar('logit')(0)).toBe(0.5);
    expect(scalar('logit')(-Infinity)).toBe(0);
    expect(scalar('logit')(Infinity)).toBe(1);
  });

  it('probit is the normal CDF, accurate in the tails', () => {
    expect(scalar('probit')(0)).toBe(0.5);
    expect(scalar('probit')(1)).toBeCloseTo(0.8413447460685429, 15);
    expect(scalar('probit')(-10) / 7.619853024160527e-24).toBeCloseTo(1, 10);
  });

  it('cloglog and loglog', () => {
    expect(scalar('cloglog')(0)).toBeCloseTo(0.6321205588285577, 15);
    expect(scalar('cloglog')(-40) / Math.exp(-40)).toBeCloseTo(1, 12);
    expect(scalar('loglog')(0)).toBeCloseTo(0.36787944117144233, 15);
    expect(scalar('loglog')(Infinity)).toBe(0);
  });

  it('cauchit', () => {
    expect(scalar('cauchit')(1)).toBe(0.75);
    expect(scalar('cauchit')(-Infinity)).toBe(0);
  });

  it('softplus does not overflow', () => {
    expect(scalar('softplus')(0)).toBeCloseTo(Math.LN2, 15);
    expect(scalar('softplus')(1000)).toBe(1000);
    expect(scalar('softplus')(-1000)).toBe(0);
    expect(scalar('softplus')(Infinity)).toBe(Infinity);
  });

  it('relu and tanh, NaN staying NaN', () => {
    expect([-1, 0, 2, NaN].map(scalar('relu'))).toEqual([0, 0, 2, NaN]);
    expect(scalar('tanh')(-Infinity)).toBe(-1);
  });

  it('apply to arrays and map values', () => {
    expect(onArray('relu')([-1, 3])).toEqual([0, 3]);
    expect(onArray('logit')([])).toEqual([]);
    expect(onMap('cauchit')(new Map([['k', 1]]))).toEqual(new Map([['k', 0.75]]));
  });
});

describe('m.link through the engine', () => {
  it('chooses the array, map or scalar form from the argument', () => {
    const run = (output: unknown, action: unknown) => loadPfa({ input: 'null', output, action: [action] }).action(null);
    expect(
      run({ type: 'array', items: 'double' }, { 'm.link.softmax': [{ type: { type: 'array', items: 'double' }, value: [0, 0] }] }),
    ).toEqual([0.5, 0.5]);
    expect(
      run({ type: 'map', values: 'double' }, { 'm.link.relu': [{ type: { type: 'map', values: 'double' }, value: { a: -1 } }] }),
    ).toEqual(new Map([['a', 0]]));
    expect(run('double', { 'm.link.logit': [0] })).toBe(0.5);
  });
});
