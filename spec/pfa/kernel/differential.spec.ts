/**
 * Every backend of a kernel gives the same answers, bit for bit: random linear and logistic
 * regressions, softmax regressions, neural networks and cluster models (random sizes; weights with
 * negative zeros, huge and tiny magnitudes; inputs with NaN and infinities; random links and
 * activations) scored by
 * - the closure backend (the library's generic implementations),
 * - the specialised backend with the action one expression (the plan's per-record scorer, generated
 *   from the kernel IR) and with the expression behind a `let` (no plan: each call's own kernel),
 * - scoreBatch over arrays and, for engines with a columnar plan, over a ColumnBatch (WebAssembly),
 * - the action's program lowered directly to a closure and to generated JavaScript.
 * All follow one summation order (a running sum from 0 over the inputs in order, then the constant),
 * so no tolerance is allowed: numbers are compared with Object.is.
 */
import { describe, expect, it } from 'vitest';
import { loadPfa } from '../../../src/index.js';
import { checkPfaSource } from '../../../src/pfa/load.js';
import { Compiler } from '../../../src/pfa/compile/compiler.js';
import { RuntimeLink } from '../../../src/pfa/compile/runtime.js';
import { specialize } from '../../../src/pfa/compile/specialize/index.js';
import { recogniseAction } from '../../../src/pfa/kernel/recognise.js';
import { lowerClosure } from '../../../src/pfa/kernel/lower-closure.js';
import { lowerJs } from '../../../src/pfa/kernel/lower-js.js';
import { MAX_UNROLLED, programSize, usesActivation } from '../../../src/pfa/kernel/ir.js';
import { Rng } from '../../helpers/random.js';

/** A weight: mostly ordinary, sometimes a signed zero, a huge or a tiny (subnormal) magnitude. */
function weight(r: Rng): number {
  const u = r.next();
  if (u < 0.05) return -0;
  if (u < 0.08) return 0;
  if (u < 0.11) return r.pick([1e300, -1e300, 1.7e308, -1e200]);
  if (u < 0.14) return r.pick([5e-324, -5e-324, 1e-310, -2.5e-308, 1e-300]);
  if (u < 0.2) return r.int(-5, 5);
  return (r.next() * 2 - 1) * r.pick([0.01, 1, 3, 100]);
}

/** An input element: like a weight, and sometimes NaN or an infinity. */
function element(r: Rng): number {
  const u = r.next();
  if (u < 0.03) return NaN;
  if (u < 0.05) return r.pick([Infinity, -Infinity]);
  return weight(r);
}

const vector = (r: Rng, n: number, f: (r: Rng) => number = weight) => Array.from({ length: n }, () => f(r));
const matrix = (r: Rng, k: number, d: number) => Array.from({ length: k }, () => vector(r, d));

const ARRAY = { type: 'array', items: 'double' };
const MATRIX = { type: 'array', items: ARRAY };
const LINKS = [
  'm.link.logit',
  'm.link.probit',
  'm.link.cloglog',
  'm.link.loglog',
  'm.link.cauchit',
  'm.link.softplus',
  'm.link.tanh',
  'm.link.relu',
];

interface Case {
  readonly label: string;
  readonly doc: Record<string, unknown>;
  readonly width: number;
}

let names = 0;
const linearCell = (coeff: unknown, constant: unknown, vectorModel: boolean) => ({
  type: {
    type: 'record',
    name: `M${names++}`,
    fields: [
      { name: 'coeff', type: vectorModel ? MATRIX : ARRAY },
      { name: 'const', type: vectorModel ? ARRAY : 'double' },
    ],
  },
  init: { coeff, const: constant },
});
const layersCell = (layers: unknown) => ({
  type: {
    type: 'array',
    items: {
      type: 'record',
      name: `L${names++}`,
      fields: [
        { name: 'weights', type: MATRIX },
        { name: 'bias', type: ARRAY },
      ],
    },
  },
  init: layers,
});

/** A random activation: a link the kernel IR knows (inlined), or an inline function (called at run time). */
function activation(r: Rng): unknown {
  if (r.next() < 0.25) return { params: [{ v: 'double' }], ret: 'double', do: { '+': [{ '*': ['v', 0.5] }, { 'm.abs': 'v' }] } };
  return { fcn: r.pick(LINKS) };
}

function randomCase(r: Rng, seed: number): Case {
  const kind = r.pick(['linear', 'linear', 'vector', 'vector', 'neural', 'neural', 'cluster', 'chain'] as const);
  let d = r.next() < 0.05 ? r.int(60, 90) : r.int(1, 12);
  const label = `seed ${seed}: ${kind}`;
  switch (kind) {
    case 'linear': {
      const link = r.next() < 0.6 ? r.pick(LINKS) : undefined;
      const reg = { 'model.reg.linear': ['input', { cell: 'model' }] };
      return {
        label: `${label} ${link ?? ''}`,
        width: d,
        doc: {
          input: ARRAY,
          output: 'double',
          cells: { model: linearCell(vector(r, d), weight(r), false) },
          action: link ? { [link]: reg } : reg,
        },
      };
    }
    case 'vector': {
      // Now and then larger than the unrolled limit: the plan's scorer is then the closure lowering.
      const large = r.next() < 0.1;
      if (large) d = r.int(60, 90);
      const k = large ? r.int(50, 70) : r.int(1, 6);
      const link = r.pick([undefined, 'm.link.softmax', 'm.link.softmax', ...LINKS]);
      const reg = { 'model.reg.linear': ['input', { cell: 'model' }] };
      return {
        label: `${label} ${k}x${d} ${link ?? ''}`,
        width: d,
        doc: {
          input: ARRAY,
          output: ARRAY,
          cells: { model: linearCell(matrix(r, k, d), vector(r, k), true) },
          action: link ? { [link]: reg } : reg,
        },
      };
    }
    case 'neural':
    case 'chain': {
      const widths = [d, ...Array.from({ length: r.int(1, 3) }, () => r.int(1, 7))];
      const layers = widths.slice(1).map((w, i) => ({ weights: matrix(r, w, widths[i]!), bias: vector(r, w) }));
      const net = { 'model.neural.simpleLayers': ['input', { cell: 'layers' }, activation(r)] };
      if (kind === 'neural') {
        const action = r.next() < 0.3 ? { 'm.link.softmax': net } : net;
        return {
          label: `${label} ${widths.join('-')}`,
          width: d,
          doc: { input: ARRAY, output: ARRAY, cells: { layers: layersCell(layers) }, action },
        };
      }
      const k = r.int(1, 4);
      const model = linearCell(matrix(r, k, widths.at(-1)!), vector(r, k), true);
      return {
        label: `${label} ${widths.join('-')}-${k}`,
        width: d,
        doc: {
          input: ARRAY,
          output: ARRAY,
          cells: { layers: layersCell(layers), model },
          action: { 'm.link.softmax': { 'model.reg.linear': [net, { cell: 'model' }] } },
        },
      };
    }
    case 'cluster': {
      const k = r.int(1, 8);
      // Repeated centers make ties; the first of equals must win everywhere.
      const centers = matrix(r, k, d);
      if (k > 2 && r.next() < 0.3) centers[k - 1] = [...centers[0]!];
      const name = `C${names++}`;
      const clusters = centers.map((center, id) => ({ center, id }));
      const type = {
        type: 'array',
        items: {
          type: 'record',
          name,
          fields: [
            { name: 'center', type: ARRAY },
            { name: 'id', type: 'int' },
          ],
        },
      };
      return {
        label: `${label} ${k}x${d}`,
        width: d,
        doc: {
          input: ARRAY,
          output: name,
          cells: { clusters: { type, init: clusters } },
          action: { 'model.cluster.closest': ['input', { cell: 'clusters' }] },
        },
      };
    }
  }
}

/** The same document with its expression behind a `let`: two expressions, so no plan, but the calls keep their kernels. */
function unplanned(doc: Record<string, unknown>): Record<string, unknown> {
  return { ...doc, action: [{ let: { result: doc.action } }, 'result'] };
}

/** Exact equality: numbers by Object.is (so -0 is not 0 and NaN is NaN), arrays and records member by member. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return Object.is(a, b);
}

function outcome(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (e) {
    return { error: (e as { code?: unknown }).code ?? String(e) };
  }
}

const show = (v: unknown): string =>
  JSON.stringify(v, (_, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : Object.is(x, -0) ? '-0' : x));

function expectSame(label: string, backend: string, got: unknown, want: unknown, input?: unknown): void {
  if (!same(got, want))
    expect.fail(
      `${label}, ${backend}${input === undefined ? '' : ` on ${show(input)}`}: ${show(got)} where the closure backend gives ${show(want)}`,
    );
}

/** The action's program as the engine recognises it, if it has one. */
function programOf(doc: object) {
  const checked = checkPfaSource(doc);
  return recogniseAction(new Compiler(checked, new RuntimeLink(), specialize).specializeContext);
}

const DOCUMENTS = 300;

describe('kernel backends agree bit for bit', () => {
  it(`on ${DOCUMENTS} random documents, all backends and both lowerings`, () => {
    const r = new Rng(20261206);
    const counts = { columnar: 0, lowered: 0, closureScorer: 0 };
    for (let seed = 0; seed < DOCUMENTS; seed++) {
      const { label, doc, width } = randomCase(r, seed);
      const closures = loadPfa(doc, { backend: 'closures' });
      const planned = loadPfa(doc);
      const calls = loadPfa(unplanned(doc));
      const inputs = Array.from({ length: r.int(1, 12) }, () => vector(r, width, element));
      const want = inputs.map((x) => closures.action(x));
      inputs.forEach((x, i) => {
        expectSame(label, 'specialised, one expression', planned.action(x), want[i], x);
        expectSame(label, 'specialised, behind a let', calls.action(x), want[i], x);
      });
      expectSame(label, 'scoreBatch', planned.scoreBatch(inputs), want);
      expectSame(label, 'scoreBatch behind a let', calls.scoreBatch(inputs), want);
      if (planned.columnar) {
        counts.columnar++;
        const batch = planned.createBatch(inputs.length);
        for (const [i, x] of inputs.entries()) for (const [j, v] of x.entries()) batch.columns[j]![i] = v;
        expectSame(label, 'columns', planned.scoreBatch(batch), want);
      }
      const program = programOf(doc);
      if (program && !usesActivation(program)) {
        counts.lowered++;
        const closure = lowerClosure(program, program.pick);
        for (const [i, x] of inputs.entries()) expectSame(label, 'closure lowering', closure(x), want[i], x);
        if (programSize(program) <= MAX_UNROLLED) {
          const js = lowerJs(program, {
            fallback: { kind: 'miss', miss: Symbol('miss') },
            ...(program.pick ? { pick: program.pick } : {}),
          });
          for (const [i, x] of inputs.entries()) expectSame(label, 'generated lowering', js(x), want[i], x);
        } else counts.closureScorer++;
      }
      // An input of another length: the same error (or, for clusters, the same answer) everywhere.
      const bad = vector(r, width + r.pick([-1, 1, 2]), element).slice(0, Math.max(0, width + 1));
      const badWant = outcome(() => closures.action(bad));
      for (const [name, engine] of [
        ['one expression', planned],
        ['behind a let', calls],
      ] as const) {
        const got = outcome(() => engine.action(bad));
        if (!same(got, badWant))
          expect.fail(`${label}, ${name} on a misaligned input: ${show(got)} where the closure backend gives ${show(badWant)}`);
      }
    }
    // The random documents must reach each path, or the test would pass by missing them.
    expect(counts.columnar).toBeGreaterThan(30);
    expect(counts.lowered).toBeGreaterThan(100);
    expect(counts.closureScorer).toBeGreaterThan(2);
  });
});
