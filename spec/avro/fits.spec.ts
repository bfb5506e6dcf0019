import { describe, expect, it } from 'vitest';
import { fits } from '../../src/avro/fits.js';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import { isValueOf } from '../../src/avro/values.js';

const type = (json: unknown) => parseSchema(json, new NameRegistry());

/** The generated predicate must give the generic answer on every value. */
function agreesWithIsValueOf(json: unknown, values: unknown[]): void {
  const t = type(json);
  const generated = fits(t);
  for (const v of values) expect([v, generated(v)]).toEqual([v, isValueOf(t, v)]);
}

const SAMPLES: unknown[] = [null, true, 0, 1.5, -3, 2 ** 31, 2n ** 62n, 2n ** 63n, 's', 'b', new Uint8Array(2), [], [1, 2], [1, 'x'], new Map([['a', 1]]), {}, { x: 1 }];

describe('fits (generated input predicate)', () => {
  it('answers as isValueOf for every primitive type', () => {
    for (const p of ['null', 'boolean', 'int', 'long', 'float', 'double', 'string', 'bytes']) agreesWithIsValueOf(p, SAMPLES);
  });

  it('answers as isValueOf for arrays, maps, enums, fixed and unions', () => {
    agreesWithIsValueOf({ type: 'array', items: 'double' }, [...SAMPLES, [[1]], [1.5, NaN, Infinity]]);
    agreesWithIsValueOf({ type: 'array', items: { type: 'array', items: 'int' } }, [[[1], []], [[1.5]], [1]]);
    agreesWithIsValueOf({ type: 'map', values: 'string' }, [...SAMPLES, new Map([['a', 'b']]), new Map<string, unknown>([['a', 'b'], ['c', 1]])]);
    agreesWithIsValueOf({ type: 'enum', name: 'E', symbols: ['a', 'b'] }, SAMPLES);
    agreesWithIsValueOf({ type: 'fixed', name: 'F', size: 2 }, [...SAMPLES, new Uint8Array(3)]);
    agreesWithIsValueOf(['null', 'int', { type: 'array', items: 'string' }], [...SAMPLES, ['a']]);
  });

  it('answers as isValueOf for records, nested and recursive ones included', () => {
    const tree = { type: 'record', name: 'Node', fields: [{ name: 'v', type: 'double' }, { name: 'next', type: ['null', 'Node'] }, { name: 'tags', type: { type: 'array', items: 'string' } }] };
    agreesWithIsValueOf(tree, [
      ...SAMPLES,
      { v: 1, next: null, tags: [] },
      { v: 1, next: { v: 2, next: null, tags: ['a'] }, tags: ['b'] },
      { v: 1, next: { v: '2', next: null, tags: [] }, tags: [] },
      { v: 1, tags: [] },
      { v: 1, next: null, tags: [1] },
      { v: 1, next: null, tags: [], extra: 'ignored' },
    ]);
  });

  it('tells a missing field from a null or union one with hasOwn', () => {
    const t = type({ type: 'record', name: 'R', fields: [{ name: 'u', type: ['null', 'double'] }] });
    expect(fits(t)({ u: null })).toBe(true);
    expect(fits(t)({})).toBe(false);
  });

  it('reads a field named __proto__ as the record\'s own field', () => {
    const t = type({ type: 'record', name: 'P', fields: [{ name: '__proto__', type: 'int' }] });
    const own = Object.defineProperty({}, '__proto__', { value: 3, enumerable: true });
    expect(fits(t)(own)).toBe(isValueOf(t, own));
    expect(fits(t)({})).toBe(false);
  });
});
