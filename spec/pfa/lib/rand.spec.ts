import { describe, expect, it } from 'vitest';
import { registry } from '../../../src/pfa/lib/index.js';
import type { CallSite, EngineContext } from '../../../src/pfa/lib/define.js';
import { T } from '../../../src/avro/types.js';
import { loadPfa } from '../../../src/index.js';
import { errorCode as codeOf } from './_direct-call.js';
import { seededRandom } from '../../helpers/random.js';

/** An engine context whose generator is seeded, standing in for the engine's. */
function seeded(seed: number): EngineContext {
  return {
    random: seededRandom(seed),
    log: () => {},
    charge: () => {},
    allocate: () => {},
  };
}

function rand(name: string, sigIndex = 0, ctx: EngineContext = seeded(1)) {
  const f = registry.get(`rand.${name}`)!;
  const site: CallSite = { name: f.name, sigIndex, argTypes: [], paramTypes: [], retType: T.null, bindings: new Map(), ctx };
  return f.def.make!(site);
}

const draws = <A>(n: number, f: () => A): A[] => Array.from({ length: n }, f);

describe('rand numbers', () => {
  it('are reproducible for equal seeds', () => {
    const a = rand('int', 1, seeded(42));
    const b = rand('int', 1, seeded(42));
    expect(draws(20, () => a(0, 1000))).toEqual(draws(20, () => b(0, 1000)));
  });

  it('rand.int draws from [low, high) and over the whole int range', () => {
    const f = rand('int', 1);
    const xs = draws(500, () => f(-3, 3) as number);
    expect(new Set(xs)).toEqual(new Set([-3, -2, -1, 0, 1, 2]));
    const full = rand('int', 0);
    for (const v of draws(100, () => full() as number)) {
      expect(Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31).toBe(true);
    }
    expect(codeOf(() => f(5, 5))).toBe(34000);
  });

  it('rand.long draws bigints, also over ranges wider than 2^53', () => {
    const f = rand('long', 1);
    const low = -(2n ** 62n);
    const high = 2n ** 62n;
    for (const v of draws(100, () => f(low, high) as bigint)) expect(v >= low && v < high).toBe(true);
    expect(new Set(draws(200, () => f(0n, 3n)))).toEqual(new Set([0n, 1n, 2n]));
    const full = rand('long', 0);
    for (const v of draws(100, () => full() as bigint)) expect(v >= -(2n ** 63n) && v < 2n ** 63n).toBe(true);
    expect(codeOf(() => f(1n, 0n))).toBe(34010);
  });

  it('rand.float and rand.double draw from [low, high)', () => {
    const fl = rand('float');
    const v = fl(-1, 1) as number;
    expect(v).toBe(Math.fround(v));
    expect(v >= -1 && v <= 1).toBe(true);
    const d = rand('double');
    for (const x of draws(100, () => d(2, 3) as number)) expect(x >= 2 && x < 3).toBe(true);
    expect(codeOf(() => fl(1, 1))).toBe(34020);
    expect(codeOf(() => d(2, -2))).toBe(34030);
  });

  it('rand.gaussian has about the requested mean and spread', () => {
    const g = rand('gaussian');
    const xs = draws(4000, () => g(10, 2) as number);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(mean).toBeGreaterThan(9.8);
    expect(mean).toBeLessThan(10.2);
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
  });
});

describe('rand items from arrays', () => {
  const pop = ['a', 'b', 'c', 'd'];

  it('rand.choice and rand.choices pick members', () => {
    expect(pop).toContain(rand('choice')(pop));
    const picked = rand('choices')(50, pop) as string[];
    expect(picked).toHaveLength(50);
    expect(picked.every((x) => pop.includes(x))).toBe(true);
    expect(rand('choices')(-5, pop)).toEqual([]);
    expect(codeOf(() => rand('choice')([]))).toBe(34040);
    expect(codeOf(() => rand('choices')(0, []))).toBe(34050);
  });

  it('rand.sample picks distinct positions without modifying the population', () => {
    const copy = [...pop];
    const s = rand('sample')(4, pop) as string[];
    expect([...s].sort()).toEqual(copy);
    expect(pop).toEqual(copy);
    expect(rand('sample')(0, pop)).toEqual([]);
    expect(codeOf(() => rand('sample')(1, []))).toBe(34060);
    expect(codeOf(() => rand('sample')(5, pop))).toBe(34061);
  });

  it('rand.histogram picks indexes (or records) in proportion to their weight', () => {
    const h = rand('histogram', 0);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[h([1, 0, 3]) as number]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.4);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.6);
    const records = [{ prob: 0 }, { prob: 2, name: 'x' }];
    expect(rand('histogram', 1)(records)).toBe(records[1]);
  });

  it('rand.histogram validates the distribution in order', () => {
    const h = rand('histogram', 0);
    expect(codeOf(() => h([]))).toBe(34070);
    expect(codeOf(() => h([0, 0]))).toBe(34070);
    expect(codeOf(() => h([1, NaN, -1]))).toBe(34071);
    expect(codeOf(() => h([1, -1, Infinity]))).toBe(34072);
    expect(codeOf(() => rand('histogram', 1)([{ prob: Infinity }]))).toBe(34071);
  });
});

describe('rand strings and bytes', () => {
  it('rand.string draws code points from the default range, a population or a range', () => {
    const any = rand('string', 0)(50) as string;
    expect([...any]).toHaveLength(50);
    expect([...any].every((c) => c.codePointAt(0)! >= 1 && c.codePointAt(0)! < 0xd800)).toBe(true);
    const fromBag = rand('string', 1)(30, 'ab−') as string;
    expect([...fromBag].every((c) => 'ab−'.includes(c))).toBe(true);
    const ascii = rand('string', 2)(40, 33, 127) as string;
    expect(/^[!-~]{40}$/.test(ascii)).toBe(true);
  });

  it('rand.string checks size, then order of the bounds, then their validity', () => {
    expect(codeOf(() => rand('string', 0)(0))).toBe(34080);
    expect(codeOf(() => rand('string', 1)(-1, ''))).toBe(34080);
    expect(codeOf(() => rand('string', 2)(5, 64, 64))).toBe(34081);
    expect(codeOf(() => rand('string', 2)(5, 0, 64))).toBe(34082);
    expect(codeOf(() => rand('string', 2)(5, 64, 0xd801))).toBe(34082);
    expect(codeOf(() => rand('string', 1)(5, ''))).toBe(34083);
  });

  it('rand.bytes draws bytes from the default range, a population or a range', () => {
    const b = rand('bytes', 0)(20) as Uint8Array;
    expect(b).toBeInstanceOf(Uint8Array);
    expect(b).toHaveLength(20);
    const fromBag = rand('bytes', 1)(20, Uint8Array.of(7, 9)) as Uint8Array;
    expect([...fromBag].every((x) => x === 7 || x === 9)).toBe(true);
    const ranged = rand('bytes', 2)(20, 250, 256) as Uint8Array;
    expect([...ranged].every((x) => x >= 250)).toBe(true);
  });

  it('rand.bytes checks size, bounds and population', () => {
    expect(codeOf(() => rand('bytes', 0)(0))).toBe(34090);
    expect(codeOf(() => rand('bytes', 2)(1, 3, 2))).toBe(34091);
    expect(codeOf(() => rand('bytes', 2)(1, -1, 2))).toBe(34092);
    expect(codeOf(() => rand('bytes', 2)(1, 0, 257))).toBe(34092);
    expect(codeOf(() => rand('bytes', 1)(1, new Uint8Array()))).toBe(34093);
  });

  it('rand.uuid4 and the deprecated rand.uuid give version-4 UUIDs with variant 8', () => {
    const shape = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(rand('uuid4')()).toMatch(shape);
    expect(rand('uuid')()).toMatch(shape);
    expect(registry.get('rand.uuid')!.def.deprecated).toBe(true);
  });
});

describe('rand in a PFA document', () => {
  const doc = (randseed: number) => ({
    input: 'null',
    output: { type: 'array', items: 'long' },
    randseed,
    action: {
      new: [{ 'rand.long': [] }, { 'rand.long': [-5, 5] }, { 'rand.long': [0, { long: 3 }] }],
      type: { type: 'array', items: 'long' },
    },
  });

  it('gives the same sequence for the same randseed', () => {
    const a = loadPfa(doc(3));
    const b = loadPfa(doc(3));
    const run = (e: typeof a) => [e.action(null), e.action(null)];
    expect(run(a)).toEqual(run(b));
  });

  it('raises the specification code from the document', () => {
    const e = loadPfa({ input: 'int', output: 'int', action: { 'rand.int': ['input', 'input'] } });
    expect(codeOf(() => e.action(4))).toBe(34000);
  });
});
