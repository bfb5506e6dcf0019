import { describe, expect, it } from 'vitest';
import { T, type AvroType, type RecordType } from '../../../../src/avro/types.js';
import { loadPfa, PfaSemanticError } from '../../../../src/index.js';
import { errorCode, implFor } from '../_direct-call.js';
import { record } from './_records.js';

const D = T.double;
const m = (o: Record<string, unknown>) => new Map(Object.entries(o));

/** The code of the semantic error a compile-time `make` raises for a state record type. */
function semanticCode(name: string, paramTypes: AvroType[]): unknown {
  try {
    implFor(name, paramTypes);
  } catch (e) {
    return e instanceof PfaSemanticError ? e.code : `not a semantic error: ${String(e)}`;
  }
  return 'no error';
}

describe('stat.sample.update', () => {
  const Full = record('Full', [
    ['count', D],
    ['mean', D],
    ['variance', D],
    ['tag', T.string],
  ]);
  const update = implFor('stat.sample.update', [D, D, Full], 0, Full);

  it('keeps count, mean and biased variance, copying other fields', () => {
    let s = { count: 0, mean: 0, variance: 0, tag: 'keep' };
    for (const x of [1, 2, 3, 4]) s = update(x, 1, s);
    expect(s.count).toBe(4);
    expect(s.mean).toBeCloseTo(2.5, 14);
    expect(s.variance).toBeCloseTo(1.25, 14);
    expect(s.tag).toBe('keep');
  });

  it('weights samples', () => {
    const s = update(5, 1, update(1, 3, { count: 0, mean: 0, variance: 0, tag: '' }));
    expect(s).toEqual({ count: 4, mean: 2, variance: 3, tag: '' });
  });

  it('updates only the fields the record has', () => {
    const Count = record('Count', [['count', D]]);
    const Mean = record('Mean', [
      ['mean', D],
      ['count', D],
    ]);
    expect(implFor('stat.sample.update', [D, D, Count])(7, 2, { count: 1 })).toEqual({ count: 3 });
    const s = implFor('stat.sample.update', [D, D, Mean])(7, 1, { mean: 1, count: 1 });
    expect(s).toEqual({ mean: 4, count: 2 });
    expect(Object.keys(s)).toEqual(['mean', 'count']);
  });

  it('copies a field named __proto__ as data', () => {
    const Odd = record('Odd', [
      ['count', D],
      ['__proto__', T.string],
    ]);
    const input = JSON.parse('{"count": 1, "__proto__": "x"}') as Record<string, unknown>;
    const s = implFor('stat.sample.update', [D, D, Odd])(0, 1, input);
    expect(Object.getOwnPropertyDescriptor(s, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
    expect(s.count).toBe(2);
  });

  it('rejects a variance without a mean and mistyped optional fields at compile time', () => {
    expect(
      semanticCode('stat.sample.update', [
        D,
        D,
        record('V', [
          ['count', D],
          ['variance', D],
        ]),
      ]),
    ).toBe('incompatible-record-field');
    expect(
      semanticCode('stat.sample.update', [
        D,
        D,
        record('M', [
          ['count', D],
          ['mean', T.string],
        ]),
      ]),
    ).toBe('incompatible-record-field');
  });
});

describe('stat.sample.updateCovariance', () => {
  it('tracks the mean vector and biased covariance matrix of arrays', () => {
    const S = record('S', [
      ['count', D],
      ['mean', T.array(D)],
      ['covariance', T.array(T.array(D))],
      ['tag', T.int],
    ]);
    const update = implFor('stat.sample.updateCovariance', [T.array(D), D, S], 0, S);
    let s = {
      count: 0,
      mean: [0, 0],
      covariance: [
        [0, 0],
        [0, 0],
      ],
      tag: 7,
    };
    for (const x of [
      [1, 2],
      [2, 4],
      [3, 6],
    ])
      s = update(x, 1, s);
    expect(s.count).toBe(3);
    expect(s.mean).toEqual([2, 4]);
    expect(s.covariance[0]![0]).toBeCloseTo(2 / 3, 14);
    expect(s.covariance[0]![1]).toBeCloseTo(4 / 3, 14);
    expect(s.covariance[1]![0]).toBeCloseTo(4 / 3, 14);
    expect(s.covariance[1]![1]).toBeCloseTo(8 / 3, 14);
    expect(s.tag).toBe(7);
  });

  it('raises 14011 for fewer than 2 components and 14012 for unequal lengths', () => {
    const S = record('S', [
      ['count', D],
      ['mean', T.array(D)],
      ['covariance', T.array(T.array(D))],
    ]);
    const update = implFor('stat.sample.updateCovariance', [T.array(D), D, S], 0, S);
    const state = {
      count: 1,
      mean: [0, 0],
      covariance: [
        [0, 0],
        [0, 0],
      ],
    };
    expect(errorCode(() => update([1], 1, state))).toBe(14011);
    expect(errorCode(() => update([1, 2, 3], 1, state))).toBe(14012);
    expect(errorCode(() => update([1, 2], 1, { ...state, covariance: [[0, 0], [0]] }))).toBe(14012);
  });

  it('keeps per-pair counts for maps, treating missing keys as zero weight', () => {
    const MM = T.map(T.map(D));
    const S = record('S', [
      ['count', MM],
      ['mean', T.map(D)],
      ['covariance', MM],
    ]);
    const update = implFor('stat.sample.updateCovariance', [T.map(D), D, S], 1, S);
    const empty = { count: new Map(), mean: new Map(), covariance: new Map() };
    const s = update(m({ a: 3, c: 5 }), 1, update(m({ a: 1, b: 2 }), 1, empty));
    const entry = (mm: Map<string, Map<string, number>>, i: string, j: string) => mm.get(i)!.get(j);
    expect(entry(s.count, 'a', 'a')).toBe(2);
    expect(entry(s.count, 'a', 'b')).toBe(1);
    expect(entry(s.count, 'b', 'c')).toBe(0);
    expect(entry(s.count, 'c', 'c')).toBe(1);
    expect(s.mean).toEqual(m({ a: 2, b: 2, c: 5 }));
    expect(entry(s.covariance, 'a', 'a')).toBe(1);
    expect(entry(s.covariance, 'a', 'c')).toBe(0);
    expect(empty.count.size).toBe(0);
    expect(errorCode(() => update(m({ a: 1 }), 1, empty))).toBe(14011);
  });
});

describe('stat.sample.updateWindow', () => {
  const W = record('W', [
    ['x', D],
    ['w', D],
    ['count', D],
    ['mean', D],
    ['variance', D],
  ]);
  const update = implFor('stat.sample.updateWindow', [D, D, T.array(W), T.int], 0, T.array(W));

  it('starts a window, grows it, then slides it', () => {
    let s: Record<string, number>[] = [];
    s = update(1, 1, s, 3);
    expect(s).toEqual([{ x: 1, w: 1, count: 1, mean: 1, variance: 0 }]);
    for (const x of [2, 3, 4]) s = update(x, 1, s, 3);
    expect(s.map((r) => r.x)).toEqual([2, 3, 4]);
    const last = s[2]!;
    expect(last.count).toBe(3);
    expect(last.mean).toBeCloseTo(3, 14);
    expect(last.variance).toBeCloseTo(2 / 3, 14);
  });

  it('raises 14020 for a window below 2', () => {
    expect(errorCode(() => update(1, 1, [], 1))).toBe(14020);
  });

  it('copies unknown fields from the last record, but cannot start them (14021)', () => {
    const X = record('X', [
      ['x', D],
      ['w', D],
      ['count', D],
      ['other', T.string],
    ]);
    const updateX = implFor('stat.sample.updateWindow', [D, D, T.array(X), T.int], 0, T.array(X));
    expect(errorCode(() => updateX(1, 1, [], 2))).toBe(14021);
    const s = updateX(
      5,
      2,
      [
        { x: 1, w: 1, count: 1, other: 'a' },
        { x: 2, w: 1, count: 2, other: 'b' },
      ],
      2,
    );
    expect(s).toEqual([
      { x: 2, w: 1, count: 2, other: 'b' },
      { x: 5, w: 2, count: 3, other: 'b' },
    ]);
  });
});

describe('stat.sample.updateEWMA', () => {
  const S = record('S', [
    ['mean', D],
    ['variance', D],
  ]);
  const update = implFor('stat.sample.updateEWMA', [D, D, S], 0, S);

  it('moves mean and variance towards the sample by alpha', () => {
    expect(update(2, 0.5, { mean: 0, variance: 0 })).toEqual({ mean: 1, variance: 1 });
    const MeanOnly = record('M', [['mean', D]]);
    expect(implFor('stat.sample.updateEWMA', [D, D, MeanOnly])(4, 0.25, { mean: 0 })).toEqual({ mean: 1 });
  });

  it('raises 14030 for alpha outside [0, 1] but lets NaN through', () => {
    expect(errorCode(() => update(1, 1.5, { mean: 0, variance: 0 }))).toBe(14030);
    expect(errorCode(() => update(1, -0.1, { mean: 0, variance: 0 }))).toBe(14030);
    expect(update(1, NaN, { mean: 0, variance: 0 }).mean).toBeNaN();
  });
});

describe('Holt-Winters', () => {
  const HW = record('HW', [
    ['level', D],
    ['trend', D],
  ]);
  const P = record('P', [
    ['level', D],
    ['trend', D],
    ['cycle', T.array(D)],
    ['multiplicative', T.boolean],
  ]);

  it('updateHoltWinters smooths level and trend', () => {
    const update = implFor('stat.sample.updateHoltWinters', [D, D, D, HW], 0, HW);
    expect(update(4, 0.5, 0.5, { level: 1, trend: 1 })).toEqual({ level: 3, trend: 1.5 });
    expect(errorCode(() => update(4, 2, 0.5, { level: 1, trend: 1 }))).toBe(14040);
    expect(errorCode(() => update(4, 0.5, -1, { level: 1, trend: 1 }))).toBe(14041);
  });

  it('updateHoltWintersPeriodic rotates the cycle and replaces the season it used', () => {
    const update = implFor('stat.sample.updateHoltWintersPeriodic', [D, D, D, D, P], 0, P);
    const additive = { level: 10, trend: 0, cycle: [1, 2, 3], multiplicative: false };
    expect(update(14, 0.5, 0.5, 0.5, additive)).toEqual({ level: 11, trend: 0.5, cycle: [2.5, 3, 1], multiplicative: false });
    expect(additive.cycle).toEqual([1, 2, 3]);
    const multiplicative = { level: 10, trend: 0, cycle: [1, 2, 4], multiplicative: true };
    const s = update(30, 0.5, 0.5, 0.5, multiplicative);
    expect(s.level).toBe(12.5);
    expect(s.trend).toBe(1.25);
    expect(s.cycle[0]).toBeCloseTo(2.2, 14);
    expect(s.cycle.slice(1)).toEqual([4, 1]);
  });

  it('updateHoltWintersPeriodic checks alpha, beta, gamma and the cycle', () => {
    const update = implFor('stat.sample.updateHoltWintersPeriodic', [D, D, D, D, P], 0, P);
    const s = { level: 0, trend: 0, cycle: [1], multiplicative: false };
    expect(errorCode(() => update(1, 2, 0, 0, s))).toBe(14050);
    expect(errorCode(() => update(1, 0, 2, 0, s))).toBe(14051);
    expect(errorCode(() => update(1, 0, 0, 2, s))).toBe(14052);
    expect(errorCode(() => update(1, 0, 0, 0, { ...s, cycle: [] }))).toBe(14053);
  });

  it('forecasts with or without a seasonal cycle', () => {
    const f1 = implFor('stat.sample.forecast1HoltWinters', [HW], 0, D);
    expect(f1({ level: 2, trend: 3 })).toBe(5);
    const f1p = implFor('stat.sample.forecast1HoltWinters', [P], 0, D);
    expect(f1p({ level: 2, trend: 3, cycle: [10, 20, 30], multiplicative: false })).toBe(25);
    expect(f1p({ level: 2, trend: 3, cycle: [10, 20, 30], multiplicative: true })).toBe(100);
    expect(errorCode(() => f1p({ level: 2, trend: 3, cycle: [], multiplicative: true }))).toBe(14060);

    const fn = implFor('stat.sample.forecastHoltWinters', [T.int, P], 0, T.array(D));
    const additive = { level: 2, trend: 3, cycle: [10, 20, 30], multiplicative: false };
    expect(fn(4, additive)).toEqual([25, 38, 21, 34]);
    expect(fn(0, additive)).toEqual([]);
    expect(fn(-2, additive)).toEqual([]);
    expect(errorCode(() => fn(0, { ...additive, cycle: [] }))).toBe(14070);
    expect(implFor('stat.sample.forecastHoltWinters', [T.int, HW])(2, { level: 1, trend: 1 })).toEqual([2, 3]);
  });

  it('requires cycle and multiplicative together', () => {
    const half = record('Half', [
      ['level', D],
      ['trend', D],
      ['cycle', T.array(D)],
    ]);
    expect(semanticCode('stat.sample.forecast1HoltWinters', [half])).toBe('incompatible-record-field');
  });
});

describe('stat.sample.fillHistogram', () => {
  const flows: [string, AvroType][] = [
    ['underflow', D],
    ['overflow', D],
    ['nanflow', D],
    ['infflow', D],
  ];
  const fill = (rec: RecordType) => implFor('stat.sample.fillHistogram', [D, D, rec], 0, rec);
  const zeroFlows = { underflow: 0, overflow: 0, nanflow: 0, infflow: 0 };

  describe('fixed bins', () => {
    const Fixed = record('Fixed', [['numbins', T.int], ['low', D], ['high', D], ['values', T.array(D)], ...flows]);
    const Bare = record('Bare', [
      ['numbins', T.int],
      ['low', D],
      ['high', D],
      ['values', T.array(D)],
    ]);
    const h = { numbins: 4, low: 0, high: 1, values: [0, 0, 0, 0], ...zeroFlows };

    it('fills the bin of x, or the matching flow counter', () => {
      const f = fill(Fixed);
      expect(f(0.3, 2, h)).toEqual({ ...h, values: [0, 2, 0, 0] });
      expect(f(1, 1, h)).toEqual({ ...h, overflow: 1 });
      expect(f(-1, 1, h)).toEqual({ ...h, underflow: 1 });
      expect(f(NaN, 1, h)).toEqual({ ...h, nanflow: 1 });
      expect(f(-Infinity, 1, h)).toEqual({ ...h, infflow: 1 });
      expect(h.values).toEqual([0, 0, 0, 0]);
    });

    it('counts infinities as under/overflow when there is no infflow, and ignores absent counters', () => {
      const Some = record('Some', [
        ['numbins', T.int],
        ['low', D],
        ['high', D],
        ['values', T.array(D)],
        ['overflow', D],
      ]);
      expect(fill(Some)(Infinity, 1, { numbins: 1, low: 0, high: 1, values: [0], overflow: 0 })).toEqual({
        numbins: 1,
        low: 0,
        high: 1,
        values: [0],
        overflow: 1,
      });
      expect(fill(Bare)(-5, 1, { numbins: 1, low: 0, high: 1, values: [0] })).toEqual({ numbins: 1, low: 0, high: 1, values: [0] });
    });

    it('puts an x that rounds up to the high edge in the last bin', () => {
      const values = new Array<number>(19).fill(0);
      const out = fill(Bare)(0.9999999999999999, 1, { numbins: 19, low: -4.4, high: 1, values });
      expect(out.values[18]).toBe(1);
      expect(out.values).toHaveLength(19);
    });

    it('raises 14080, 14081 and 14082', () => {
      const f = fill(Bare);
      expect(errorCode(() => f(0, 1, { numbins: 3, low: 0, high: 1, values: [0] }))).toBe(14080);
      expect(errorCode(() => f(0, 1, { numbins: 1, low: 1, high: 1, values: [0] }))).toBe(14081);
      expect(errorCode(() => f(0, 1, { numbins: 1, low: 0, high: Infinity, values: [0] }))).toBe(14081);
      expect(errorCode(() => f(0, 1, { numbins: 1, low: NaN, high: 1, values: [0] }))).toBe(14081);
      expect(errorCode(() => f(0, 1, { numbins: 0, low: 0, high: 1, values: [] }))).toBe(14082);
    });
  });

  describe('growable bins', () => {
    const Grow = record('Grow', [['low', D], ['binsize', D], ['values', T.array(D)], ...flows.slice(0, 2)]);
    const h = { low: 0, binsize: 1, values: [1], underflow: 0, overflow: 0 };
    const f = fill(Grow);

    it('pads with zeros up to the bin of x', () => {
      expect(f(0.5, 1, h).values).toEqual([2]);
      expect(f(3.5, 1, h).values).toEqual([1, 0, 0, 1]);
    });

    it('puts the first value of an empty histogram in bin 0, as the reference engine does', () => {
      expect(f(5, 2, { ...h, values: [] }).values).toEqual([2]);
    });

    it('never grows for infinities or values below low', () => {
      expect(f(Infinity, 1, h)).toEqual({ ...h, overflow: 1 });
      expect(f(-Infinity, 1, h)).toEqual({ ...h, underflow: 1 });
      expect(f(-0.5, 1, h)).toEqual({ ...h, underflow: 1 });
    });

    it('raises 14082 for a bad bin size or a bin beyond the int range', () => {
      for (const binsize of [0, -1, NaN, Infinity]) expect(errorCode(() => f(0, 1, { ...h, binsize }))).toBe(14082);
      expect(errorCode(() => f(1e300, 1, { ...h, binsize: 1e-300 }))).toBe(14082);
      expect(errorCode(() => f(1, 1, { ...h, low: NaN }))).toBe(14082);
    });
  });

  describe('arbitrary ranges', () => {
    const Ranges = record('Ranges', [
      ['ranges', T.array(T.array(D))],
      ['values', T.array(D)],
      ['underflow', D],
    ]);
    const h = {
      ranges: [
        [0, 1],
        [0.5, 2],
      ],
      values: [0, 0],
      underflow: 0,
    };
    const f = fill(Ranges);

    it('fills every interval containing x, or underflow when none does', () => {
      expect(f(0.7, 1, h).values).toEqual([1, 1]);
      expect(f(1, 1, h).values).toEqual([0, 1]);
      expect(f(5, 1, h)).toEqual({ ...h, underflow: 1 });
      expect(f(Infinity, 1, h)).toEqual({ ...h, underflow: 1 });
    });

    it('raises 14080 and 14083', () => {
      expect(errorCode(() => f(0, 1, { ...h, values: [0] }))).toBe(14080);
      expect(errorCode(() => f(0, 1, { ...h, ranges: [[0, 1], [1]] }))).toBe(14083);
      expect(
        errorCode(() =>
          f(0, 1, {
            ...h,
            ranges: [
              [0, 1],
              [1, 1],
            ],
          }),
        ),
      ).toBe(14083);
      expect(
        errorCode(() =>
          f(0, 1, {
            ...h,
            ranges: [
              [0, 1],
              [1, Infinity],
            ],
          }),
        ),
      ).toBe(14083);
    });
  });

  it('requires exactly one histogram layout at compile time', () => {
    const both = record('Both', [
      ['numbins', T.int],
      ['low', D],
      ['high', D],
      ['binsize', D],
      ['values', T.array(D)],
    ]);
    expect(semanticCode('stat.sample.fillHistogram', [D, D, both])).toBe('incompatible-record-field');
    const badFlow = record('BadFlow', [
      ['ranges', T.array(T.array(D))],
      ['values', T.array(D)],
      ['nanflow', T.int],
    ]);
    expect(semanticCode('stat.sample.fillHistogram', [D, D, badFlow])).toBe('incompatible-record-field');
  });
});

describe('stat.sample.fillHistogram2d', () => {
  const names = [
    'underunderflow',
    'undermidflow',
    'underoverflow',
    'midunderflow',
    'midoverflow',
    'overunderflow',
    'overmidflow',
    'overoverflow',
    'nanflow',
    'infflow',
  ];
  const H = record('H', [
    ['xnumbins', T.int],
    ['xlow', D],
    ['xhigh', D],
    ['ynumbins', T.int],
    ['ylow', D],
    ['yhigh', D],
    ['values', T.array(T.array(D))],
    ...names.map((n): [string, AvroType] => [n, D]),
  ]);
  const fill = implFor('stat.sample.fillHistogram2d', [D, D, D, H], 0, H);
  const h = {
    xnumbins: 2,
    xlow: 0,
    xhigh: 2,
    ynumbins: 2,
    ylow: 0,
    yhigh: 2,
    values: [
      [0, 0],
      [0, 0],
    ],
    ...Object.fromEntries(names.map((n) => [n, 0])),
  };

  it('fills the bin of (x, y) without touching the input', () => {
    expect(fill(1.5, 0.5, 3, h).values).toEqual([
      [0, 0],
      [3, 0],
    ]);
    expect(h.values).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('counts each of the eight outer regions separately', () => {
    expect(fill(-1, 5, 1, h).underoverflow).toBe(1);
    expect(fill(5, 1, 1, h).overmidflow).toBe(1);
    expect(fill(1, -1, 1, h).midunderflow).toBe(1);
    expect(fill(2, 2, 1, h).overoverflow).toBe(1);
  });

  it('counts NaN before infinity', () => {
    expect(fill(Infinity, NaN, 1, h).nanflow).toBe(1);
    expect(fill(Infinity, 1, 1, h).infflow).toBe(1);
  });

  it('raises 14090, 14091 and 14092', () => {
    expect(errorCode(() => fill(0, 0, 1, { ...h, values: [[0, 0], [0]] }))).toBe(14090);
    expect(errorCode(() => fill(0, 0, 1, { ...h, ylow: 3 }))).toBe(14091);
    expect(errorCode(() => fill(0, 0, 1, { ...h, xnumbins: 0 }))).toBe(14092);
  });
});

describe('stat.sample.fillCounter', () => {
  const C = record('C', [
    ['values', T.map(D)],
    ['name', T.string],
  ]);
  const fill = implFor('stat.sample.fillCounter', [T.string, D, C], 0, C);

  it('adds the weight to the category, creating it at zero', () => {
    const c = { values: m({ a: 1 }), name: 'n' };
    expect(fill('b', 2, c)).toEqual({ values: m({ a: 1, b: 2 }), name: 'n' });
    expect(fill('a', 1, c)).toEqual({ values: m({ a: 2 }), name: 'n' });
    expect(fill('__proto__', 1, c).values.get('__proto__')).toBe(1);
    expect(c.values).toEqual(m({ a: 1 }));
  });
});

describe('stat.sample.topN', () => {
  const topN = implFor('stat.sample.topN', [T.int, T.array(T.int), T.int, T.fcn([T.int, T.int], T.boolean)], 0, T.array(T.int));
  const lt = (a: number, b: number) => a < b;

  it('inserts x in a list sorted from the top and truncates to n', () => {
    const top = [5, 3, 1];
    expect(topN(4, top, 3, lt)).toEqual([5, 4, 3]);
    expect(topN(3, top, 3, lt)).toEqual([5, 3, 3]);
    expect(topN(0, top, 3, lt)).toEqual([5, 3, 1]);
    expect(topN(0, top, 4, lt)).toEqual([5, 3, 1, 0]);
    expect(topN(9, top, 2, lt)).toEqual([9, 5]);
    expect(topN(9, top, 0, lt)).toEqual([]);
    expect(topN(9, top, -1, lt)).toEqual([]);
    expect(top).toEqual([5, 3, 1]);
  });

  it('keeps equal items already in the list ahead of x', () => {
    const byKey = (a: { k: number }, b: { k: number }) => a.k < b.k;
    const Item = record('Item', [
      ['k', T.int],
      ['id', T.string],
    ]);
    const top = [{ k: 2, id: 'old' }];
    const f = implFor('stat.sample.topN', [Item, T.array(Item), T.int, T.fcn([Item, Item], T.boolean)], 0, T.array(Item));
    expect(f({ k: 2, id: 'new' }, top, 2, byKey)).toEqual([
      { k: 2, id: 'old' },
      { k: 2, id: 'new' },
    ]);
  });
});

describe('through the engine', () => {
  const Win = { type: 'record', name: 'Win', fields: ['x', 'w', 'count', 'mean'].map((name) => ({ name, type: 'double' })) };
  const Wins = { type: 'array', items: Win };

  it('keeps a windowed mean in a cell', () => {
    const engine = loadPfa({
      input: 'double',
      output: Wins,
      cells: { win: { type: Wins, init: [] } },
      action: [
        { cell: 'win', to: { params: [{ s: Wins }], ret: Wins, do: { 'stat.sample.updateWindow': ['input', 1.0, 's', 2] } } },
        { cell: 'win' },
      ],
    });
    let out: unknown;
    for (const x of [1, 2, 3, 4]) out = engine.action(x);
    expect(out).toEqual([
      { x: 3, w: 1, count: 2, mean: 2.5 },
      { x: 4, w: 1, count: 2, mean: 3.5 },
    ]);
  });

  it('picks the histogram layout from the record type', () => {
    const Grow = {
      type: 'record',
      name: 'Grow',
      fields: [
        { name: 'low', type: 'double' },
        { name: 'binsize', type: 'double' },
        { name: 'values', type: { type: 'array', items: 'double' } },
      ],
    };
    const engine = loadPfa({ input: Grow, output: Grow, action: [{ 'stat.sample.fillHistogram': [2.5, 1.0, 'input'] }] });
    expect(engine.action({ low: 0, binsize: 1, values: [0] })).toEqual({ low: 0, binsize: 1, values: [0, 0, 1] });
  });

  it('rejects an ambiguous histogram record when the document is loaded', () => {
    const Both = {
      type: 'record',
      name: 'Both',
      fields: [
        ...['low', 'high', 'binsize'].map((name) => ({ name, type: 'double' })),
        { name: 'numbins', type: 'int' },
        { name: 'values', type: { type: 'array', items: 'double' } },
      ],
    };
    const load = () => loadPfa({ input: Both, output: Both, action: [{ 'stat.sample.fillHistogram': [0.5, 1.0, 'input'] }] });
    expect(load).toThrow(PfaSemanticError);
  });
});
