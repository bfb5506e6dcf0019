import { describe, expect, it } from 'vitest';
import { registry } from '../../../src/pfa/lib/index.js';
import type { CallSite } from '../../../src/pfa/lib/define.js';
import { T } from '../../../src/avro/types.js';
import { loadPfa } from '../../../src/index.js';
import { errorCode as codeOf } from './_direct-call.js';

/** The implementation of `la.<name>` for its `sigIndex`-th signature. */
function la(name: string, sigIndex: number) {
  const f = registry.get(`la.${name}`)!;
  const site: CallSite = {
    name: f.name,
    sigIndex,
    argTypes: [],
    paramTypes: [],
    retType: T.null,
    bindings: new Map(),
    ctx: { random: Math.random, log: () => {}, charge: () => {}, allocate: () => {} },
  };
  return f.def.make!(site);
}

const sparse = (o: Record<string, Record<string, number>>) =>
  new Map(Object.entries(o).map(([k, row]) => [k, new Map(Object.entries(row))]));
const plain = (m: Map<string, Map<string, number>>) => Object.fromEntries([...m].map(([k, row]) => [k, Object.fromEntries(row)]));

const M3 = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
];

describe('la.map and la.scale', () => {
  it('apply a function to every element, dense and sparse', () => {
    expect(la('map', 0)([[1, 2], [3]], (x: number) => x * 10)).toEqual([[10, 20], [30]]);
    expect(plain(la('map', 1)(sparse({ a: { b: 2 } }), (x: number) => -x))).toEqual({ a: { b: -2 } });
  });

  it('scale vectors and matrices of both kinds', () => {
    expect(la('scale', 0)([1, -2], 3)).toEqual([3, -6]);
    expect(la('scale', 1)([[1], [2]], 0.5)).toEqual([[0.5], [1]]);
    expect(Object.fromEntries(la('scale', 2)(new Map([['a', 2]]), 2))).toEqual({ a: 4 });
    expect(plain(la('scale', 3)(sparse({ r: { c: 2 } }), -1))).toEqual({ r: { c: -2 } });
  });

  it('does not modify its argument', () => {
    const x = [[1, 2]];
    la('scale', 1)(x, 2);
    expect(x).toEqual([[1, 2]]);
  });
});

describe('la.zipmap, la.add, la.sub', () => {
  it('combine aligned dense matrices and reject misaligned ones', () => {
    const f = (a: number, b: number) => a * b;
    expect(la('zipmap', 0)([[1, 2]], [[3, 4]], f)).toEqual([[3, 8]]);
    expect(codeOf(() => la('zipmap', 0)([[1, 2]], [[3]], f))).toBe(24020);
    expect(la('add', 0)([1, 2], [3, 4])).toEqual([4, 6]);
    expect(codeOf(() => la('add', 0)([1], [1, 2]))).toBe(24030);
    expect(la('sub', 1)([[5]], [[2]])).toEqual([[3]]);
    expect(codeOf(() => la('sub', 1)([], [[]]))).toBe(24040);
  });

  it('treat missing sparse entries as zero over the union of rows and columns', () => {
    const x = sparse({ one: { one: 1 } });
    const y = sparse({ two: { two: 2 } });
    expect(plain(la('add', 3)(x, y))).toEqual({ one: { one: 1, two: 0 }, two: { one: 0, two: 2 } });
    expect(plain(la('sub', 3)(x, y))).toEqual({ one: { one: 1, two: 0 }, two: { one: 0, two: -2 } });
    expect(Object.fromEntries(la('add', 2)(new Map([['a', 1]]), new Map([['b', 2]])))).toEqual({ a: 1, b: 2 });
    expect(plain(la('zipmap', 1)(sparse({}), sparse({ one: {} }), (a: number, b: number) => a + b))).toEqual({ one: {} });
  });
});

describe('la.dot', () => {
  it('multiplies dense matrices and vectors', () => {
    expect(la('dot', 0)(M3, [1, 0, -1])).toEqual([-2, -2, -2]);
    expect(la('dot', 2)(M3, M3)).toEqual([
      [30, 36, 42],
      [66, 81, 96],
      [102, 126, 150],
    ]);
  });

  it('raises too-few, non-finite and misaligned in that order of precedence', () => {
    expect(codeOf(() => la('dot', 0)([[], []], [1]))).toBe(24051);
    expect(codeOf(() => la('dot', 0)(M3, []))).toBe(24051);
    expect(codeOf(() => la('dot', 0)([[1, NaN]], [1, 2, 3]))).toBe(24052);
    expect(codeOf(() => la('dot', 0)(M3, [1, 2]))).toBe(24050);
    expect(codeOf(() => la('dot', 2)([[1, 2, 3, 4]], M3))).toBe(24050);
    expect(codeOf(() => la('dot', 2)(M3, [[1, Infinity, 3]]))).toBe(24052);
  });

  it('multiplies sparse matrices, missing entries being zero', () => {
    const x = sparse({ one: { one: 0 }, two: { one: 1e-5, two: 0.99999 } });
    const v = la('dot', 1)(x, new Map([['two', 2]]));
    expect(Object.fromEntries(v)).toEqual({ one: 0, two: 1.99998 });
    expect(plain(la('dot', 3)(sparse({ one: {} }), x))).toEqual({ one: { one: 0, two: 0 } });
    expect(codeOf(() => la('dot', 3)(sparse({ one: {} }), sparse({ one: {} })))).toBe(24051);
    expect(codeOf(() => la('dot', 1)(sparse({}), new Map([['a', 1]])))).toBe(24051);
    expect(codeOf(() => la('dot', 1)(sparse({ a: { a: NaN } }), new Map()))).toBe(24052);
  });
});

describe('la.transpose', () => {
  it('transposes rectangular matrices', () => {
    expect(la('transpose', 0)([[1, 2, 3]])).toEqual([[1], [2], [3]]);
    expect(plain(la('transpose', 1)(sparse({ a: { x: 1, y: 2 }, b: { x: 3, y: 4 } })))).toEqual({
      x: { a: 1, b: 3 },
      y: { a: 2, b: 4 },
    });
  });

  it('rejects empty and ragged matrices', () => {
    expect(codeOf(() => la('transpose', 0)([[]]))).toBe(24060);
    expect(codeOf(() => la('transpose', 0)([[1], [1, 2]]))).toBe(24061);
    expect(codeOf(() => la('transpose', 1)(sparse({ a: {} })))).toBe(24060);
    expect(codeOf(() => la('transpose', 1)(sparse({ a: { x: 1 }, b: { y: 1 } })))).toBe(24061);
  });
});

describe('la.inverse', () => {
  it('inverts square matrices', () => {
    const inv = la(
      'inverse',
      0,
    )([
      [4, 7],
      [2, 6],
    ]) as number[][];
    expect(inv[0]![0]).toBeCloseTo(0.6);
    expect(inv[0]![1]).toBeCloseTo(-0.7);
    expect(inv[1]![0]).toBeCloseTo(-0.2);
    expect(inv[1]![1]).toBeCloseTo(0.4);
  });

  it('gives the Moore-Penrose pseudoinverse of non-square matrices, keyed column then row', () => {
    const inv = plain(la('inverse', 1)(sparse({ r: { a: 1, b: 1 } })));
    expect(inv.a!.r).toBeCloseTo(0.5);
    expect(inv.b!.r).toBeCloseTo(0.5);
  });

  it('rejects empty and ragged matrices', () => {
    expect(codeOf(() => la('inverse', 0)([]))).toBe(24070);
    expect(codeOf(() => la('inverse', 0)([[1, 2], [1]]))).toBe(24071);
    expect(codeOf(() => la('inverse', 1)(sparse({ a: {}, b: {} })))).toBe(24070);
  });
});

describe('la.trace and la.det', () => {
  it('sums the diagonal, also of non-square and empty matrices', () => {
    expect(la('trace', 0)([])).toBe(0);
    expect(
      la(
        'trace',
        0,
      )([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toBe(6);
    expect(codeOf(() => la('trace', 0)([[1], [1, 2]]))).toBe(24080);
    expect(la('trace', 1)(sparse({ a: { a: 2, b: 9 }, b: { a: 9 }, c: { c: 3 } }))).toBe(5);
  });

  it('computes determinants, NaN when an entry is not finite', () => {
    expect(
      la(
        'det',
        0,
      )([
        [2, 1],
        [1, 3],
      ]),
    ).toBeCloseTo(5);
    expect(Math.abs(la('det', 0)(M3) as number)).toBeLessThan(1e-8);
    expect(
      la(
        'det',
        0,
      )([
        [1, Infinity],
        [0, 1],
      ]),
    ).toBeNaN();
    expect(la('det', 1)(sparse({ one: { one: 0 }, two: { one: 1e-5, two: 0.99999 } }))).toBe(0);
    expect(la('det', 1)(sparse({ a: { b: 2 } }))).toBeCloseTo(0);
  });

  it('raises the shape errors', () => {
    expect(codeOf(() => la('det', 0)([[], []]))).toBe(24090);
    expect(codeOf(() => la('det', 0)([[1, 2], [1]]))).toBe(24091);
    expect(
      codeOf(() =>
        la(
          'det',
          0,
        )([
          [1, 2, 3],
          [1, 4, 8],
        ]),
      ),
    ).toBe(24092);
    expect(codeOf(() => la('det', 1)(sparse({ one: {} })))).toBe(24090);
  });
});

describe('la.symmetric', () => {
  const S = [
    [1, 2, 3],
    [2, 5, 6],
    [3, 6, 9],
  ];

  it('compares x[i][j] with x[j][i] strictly within the tolerance', () => {
    expect(la('symmetric', 0)(S, 1e-5)).toBe(true);
    expect(la('symmetric', 0)(S, 0)).toBe(false);
    expect(la('symmetric', 0)(M3, 17)).toBe(true);
    expect(la('symmetric', 0)(M3, 1)).toBe(false);
    expect(la('symmetric', 0)(S, NaN)).toBe(false);
  });

  it('counts equal infinities and NaN pairs as symmetric', () => {
    expect(
      la('symmetric', 0)(
        [
          [1, Infinity],
          [Infinity, 1],
        ],
        0.5,
      ),
    ).toBe(true);
    expect(
      la('symmetric', 0)(
        [
          [1, Infinity],
          [-Infinity, 1],
        ],
        0.5,
      ),
    ).toBe(false);
    expect(
      la('symmetric', 0)(
        [
          [NaN, 2],
          [2, 1],
        ],
        0.5,
      ),
    ).toBe(true);
  });

  it('treats missing sparse entries as zero', () => {
    const x = sparse({ one: { one: 0 }, two: { one: 1e-5, two: 0.99999 } });
    expect(la('symmetric', 1)(x, 1e-5)).toBe(false);
    expect(la('symmetric', 1)(x, 0.1)).toBe(true);
  });

  it('raises the shape errors', () => {
    expect(codeOf(() => la('symmetric', 0)([], 1))).toBe(24100);
    expect(codeOf(() => la('symmetric', 0)([[1, 2], [1]], 1))).toBe(24101);
    expect(codeOf(() => la('symmetric', 0)([[1, 2]], 1))).toBe(24102);
    expect(codeOf(() => la('symmetric', 1)(sparse({ one: {} }), 1))).toBe(24100);
  });
});

describe('la.eigenBasis', () => {
  it('returns eigenvectors scaled by 1/sqrt(|eigenvalue|), largest eigenvalue first, first component >= 0', () => {
    const basis = la(
      'eigenBasis',
      0,
    )([
      [4, 0],
      [0, 1],
    ]) as number[][];
    expect(basis[0]![0]).toBeCloseTo(0.5);
    expect(basis[0]![1]).toBeCloseTo(0);
    expect(Math.abs(basis[1]![1]!)).toBeCloseTo(1);
  });

  it('whitens a covariance matrix: B C B^T is the identity', () => {
    const C = [
      [2, 1],
      [1, 2],
    ];
    const B = la('eigenBasis', 0)(C) as number[][];
    const whitened = la('dot', 2)(la('dot', 2)(B, C), la('transpose', 0)(B)) as number[][];
    expect(whitened[0]![0]).toBeCloseTo(1);
    expect(whitened[0]![1]).toBeCloseTo(0);
    expect(whitened[1]![1]).toBeCloseTo(1);
  });

  it('symmetrizes its input and keys sparse rows by rank', () => {
    const basis = plain(la('eigenBasis', 1)(sparse({ a: { a: 4, b: 0 }, b: { b: 1 } })));
    expect(Object.keys(basis).sort()).toEqual(['0', '1']);
    expect(basis['0']!.a).toBeCloseTo(0.5);
  });

  it('raises shape and non-finite errors', () => {
    expect(codeOf(() => la('eigenBasis', 0)([]))).toBe(24110);
    expect(codeOf(() => la('eigenBasis', 0)([[1, 2], [1]]))).toBe(24111);
    expect(codeOf(() => la('eigenBasis', 0)([[1, 2]]))).toBe(24112);
    expect(
      codeOf(() =>
        la(
          'eigenBasis',
          0,
        )([
          [1, NaN],
          [1, 1],
        ]),
      ),
    ).toBe(24113);
    expect(codeOf(() => la('eigenBasis', 1)(sparse({ one: {} })))).toBe(24110);
    expect(codeOf(() => la('eigenBasis', 1)(sparse({ a: { a: Infinity } })))).toBe(24113);
  });
});

describe('la.truncate', () => {
  it('keeps the first rows, or the named ones', () => {
    expect(la('truncate', 0)(M3, 2)).toEqual(M3.slice(0, 2));
    expect(la('truncate', 0)(M3, -1)).toEqual([]);
    expect(la('truncate', 0)(M3, 10)).toEqual(M3);
    expect(plain(la('truncate', 1)(sparse({ a: { x: 1 }, b: { x: 2 } }), ['b', 'z']))).toEqual({ b: { x: 2 } });
  });

  it('raises the shape errors', () => {
    expect(codeOf(() => la('truncate', 0)([[]], 1))).toBe(24120);
    expect(codeOf(() => la('truncate', 0)([[1], [1, 2]], 1))).toBe(24121);
    expect(codeOf(() => la('truncate', 1)(sparse({ a: {} }), ['a']))).toBe(24120);
  });
});

describe('la in a PFA document', () => {
  const matrix = { type: 'array', items: { type: 'array', items: 'double' } };

  it('passes library functions and inline fcns as functional arguments', () => {
    const e = loadPfa({ input: matrix, output: matrix, action: { 'la.map': ['input', { fcn: 'm.sqrt' }] } });
    expect(e.action([[4, 9], [16]])).toEqual([[2, 3], [4]]);
    const z = loadPfa({
      input: matrix,
      output: matrix,
      action: { 'la.zipmap': ['input', 'input', { params: [{ a: 'double' }, { b: 'double' }], ret: 'double', do: { '*': ['a', 'b'] } }] },
    });
    expect(z.action([[2, 3]])).toEqual([[4, 9]]);
  });

  it('picks the map signature for maps of maps', () => {
    const sq = { type: 'map', values: { type: 'map', values: 'double' } };
    const e = loadPfa({ input: sq, output: 'double', action: { 'la.det': ['input'] } });
    expect(e.action(sparse({ a: { a: 2, b: 1 }, b: { a: 1, b: 3 } }))).toBeCloseTo(5);
    expect(codeOf(() => e.action(sparse({})))).toBe(24090);
  });
});
