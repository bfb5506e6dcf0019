/**
 * Every lowering of a forest program gives the generic library's answers, bit for bit: random
 * compare trees (int, float and double fields, every operator, thresholds that the inputs hit
 * exactly, NaN and signed zeros in the inputs) and random missing-aware trees (nullable number and
 * string fields, numeric comparisons, string equality, `in`/`notIn` sets of strings or numbers,
 * every `ifMissing`), walked alone or as ensembles collected by a.map, a.sum, a.mean and a float32
 * a.fold, with
 * double, int and string leaves, scored by
 * - the closure backend (model.tree's generic walk, a.map, a.sum, a.mean),
 * - the specialised backend,
 * - the recognised program lowered to the closure baseline, to nested ifs (one compare tree) and to
 *   the flat lockstep walk (as chosen for the forest's shape, and with its groups forced to stop
 *   once all their lanes are on a leaf, and forced to walk their full depth; a missing-aware walk
 *   also with its lanes refilled with the next tree as each reaches a leaf, with missing flags
 *   where it would route missing fields by its tests and guards, and with set tests beside
 *   orderings always looked up in their table, and always columns of its inputs).
 * Answers are compared with Object.is, so -0 is not 0 and NaN is NaN.
 */
import { describe, expect, it } from 'vitest';
import { loadPfa } from '../../../src/index.js';
import { checkPfaSource } from '../../../src/pfa/load.js';
import { Compiler } from '../../../src/pfa/compile/compiler.js';
import { RuntimeLink } from '../../../src/pfa/compile/runtime.js';
import { isLeaf, type ForestProgram, type MissingBranch } from '../../../src/pfa/kernel/ir.js';
import { recogniseTree } from '../../../src/pfa/kernel/recognise-tree.js';
import { lowerTreeClosure } from '../../../src/pfa/kernel/lower-tree-closure.js';
import { lowerTreeIfs } from '../../../src/pfa/kernel/lower-tree-ifs.js';
import { lowerTreeFlat } from '../../../src/pfa/kernel/lower-tree-flat.js';
import { lowerMissingTreeFlat } from '../../../src/pfa/kernel/lower-missing-tree-flat.js';
import { Rng } from '../../helpers/random.js';

const DOCUMENTS = 300;
const INPUTS = 40;

const OPERATORS = ['<', '<=', '>', '>=', '==', '!='];
const ORDERINGS = ['<', '<=', '>', '>='];
/** Thresholds and set members: few, so that inputs equal them often. */
const GRID = [-2, -1, -0.5, -0, 0, 0.5, 1, 1.5, 3];
const WORDS = ['a', 'b', 'c', 'dd', ''];

type FieldKind = 'double' | 'float' | 'int' | 'string';
interface Field {
  readonly name: string;
  readonly kind: FieldKind;
  readonly nullable: boolean;
}
type LeafKind = 'double' | 'int' | 'string';

/** A number of the field's kind: mostly from the grid, sometimes off it, NaN or an infinity (not for ints). */
function numberOf(r: Rng, kind: Exclude<FieldKind, 'string'>): number {
  if (kind === 'int') return r.int(-3, 3);
  const u = r.next();
  const x = u < 0.05 ? NaN : u < 0.08 ? r.pick([Infinity, -Infinity]) : u < 0.6 ? r.pick(GRID) : (r.next() * 2 - 1) * 4;
  return kind === 'float' ? Math.fround(x) : x;
}

/** A leaf in the Avro JSON of a union branch. */
function leafOf(r: Rng, kind: LeafKind): unknown {
  switch (kind) {
    case 'double':
      return { double: r.chance(0.1) ? -0 : r.chance(0.5) ? r.pick(GRID) : Math.round(r.next() * 1e6) / 1e3 };
    case 'int':
      return { int: r.int(-50, 50) };
    case 'string':
      return { string: `leaf${r.int(0, 99)}` };
  }
}

/**
 * A random tree of at most `depth` levels of splits, in Avro JSON for node type `node` (the root
 * untagged, a child node tagged with the type's name); `split` draws a split's own members.
 */
function randomTree(
  r: Rng,
  depth: number,
  node: string,
  branches: readonly string[],
  split: (level: number) => object,
  leaf: () => unknown,
): unknown {
  const build = (level: number): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...split(level) };
    for (const b of branches) out[b] = level + 1 >= depth || r.chance(0.25) ? leaf() : { [node]: build(level + 1) };
    return out;
  };
  return build(0);
}

interface Case {
  readonly label: string;
  readonly doc: Record<string, unknown>;
  readonly inputs: readonly Record<string, unknown>[];
  readonly kind: ForestProgram['kind'];
  readonly reduce: ForestProgram['reduce'];
  /** Missing documents: whether every split sends a missing field to `fail`. */
  readonly allFail?: boolean;
  /** All-fail with orderings of several kinds as its numeric tests (and sometimes `==` and `!=`). */
  readonly orderings?: boolean;
  /** Missing documents: set tests sending a missing field to `pass` or `fail`, comparisons to `fail`, a root sometimes to `missing`. */
  readonly routed?: boolean;
}

/** How the trees are walked: one tree, or the scores of a forest as an array, a sum, a mean or a float32 sum (a.fold). */
const COLLECTIONS = ['one', 'array', 'sum', 'mean', 'floatSum'] as const;
type Collection = (typeof COLLECTIONS)[number];

/** Collections of double scores. */
const numeric = (c: Collection): boolean => c === 'sum' || c === 'mean' || c === 'floatSum';

/** Where float32 sums start: -0 and an offset a float cannot hold among them. */
const STARTS = [0, -0, 0.5, -3.25, 1e-9];

/** `a.fold` of the scores with a function adding in float32, as the PMML lowering writes for XGBoost. */
function floatSum(scores: object, start: number): object {
  const add = { upcast: { 'cast.float': [{ '+': ['acc', 'x'] }] }, as: 'double' };
  return { 'a.fold': [scores, { double: start }, { params: [{ acc: 'double' }, { x: 'double' }], ret: 'double', do: add }] };
}

function inputsOf(r: Rng, fields: readonly Field[]): Record<string, unknown>[] {
  return Array.from({ length: INPUTS }, () =>
    Object.fromEntries(
      fields.map((f) => {
        if (f.nullable && r.chance(0.2)) return [f.name, null];
        return [f.name, f.kind === 'string' ? r.pick([...WORDS, 'zz']) : numberOf(r, f.kind)];
      }),
    ),
  );
}

/** The action walking the cell `tree` or, for a forest, mapping the walk over the cell `forest`. */
function action(collect: Collection, walk: (datum: string, tree: unknown) => object, node: string, ret: string, start: number) {
  if (collect === 'one') return walk('input', { cell: 'tree' });
  const scores = { 'a.map': [{ cell: 'forest' }, { params: [{ tree: node }], ret, do: walk('input', 'tree') }] };
  if (collect === 'floatSum') return floatSum(scores, start);
  return collect === 'array' ? scores : { [`a.${collect}`]: [scores] };
}

function cells(r: Rng, collect: Collection, nodeType: object, tree: () => unknown): Record<string, unknown> {
  if (collect === 'one') return { tree: { type: nodeType, init: tree() } };
  const count = r.chance(0.2) ? r.int(13, 20) : r.int(1, 12);
  return { forest: { type: { type: 'array', items: nodeType }, init: Array.from({ length: count }, tree) } };
}

/**
 * What the mapped function returns: a double for sums and means, else the leaf's type, or for an
 * array of int leaves sometimes a long (a bigint), so that each leaf is converted on its way out.
 */
function scoreType(r: Rng, collect: Collection, leaf: LeafKind): string {
  if (numeric(collect)) return 'double';
  return collect === 'array' && leaf === 'int' && r.chance(0.7) ? 'long' : leaf;
}

function output(collect: Collection, score: string): unknown {
  if (numeric(collect)) return 'double';
  return collect === 'array' ? { type: 'array', items: score } : score;
}

/** simpleWalk (with simpleTest inline or by reference) or simpleTree over int, float and double fields. */
function compareCase(r: Rng, seed: number): Case {
  const fields: Field[] = Array.from({ length: r.int(1, 4) }, (_, i) => ({
    name: `f${i}`,
    kind: r.pick(['double', 'float', 'int'] as const),
    nullable: false,
  }));
  const collect = r.pick(COLLECTIONS);
  // Sums, means and float32 sums are of doubles, int leaves among them.
  const leaf: LeafKind = numeric(collect) ? r.pick(['double', 'int'] as const) : r.pick(['double', 'int', 'string'] as const);
  const score = scoreType(r, collect, leaf);
  const nodeType = {
    type: 'record',
    name: 'N',
    fields: [
      { name: 'field', type: { type: 'enum', name: 'F', symbols: fields.map((f) => f.name) } },
      { name: 'operator', type: 'string' },
      { name: 'value', type: 'double' },
      { name: 'pass', type: [leaf, 'N'] },
      { name: 'fail', type: [leaf, 'N'] },
    ],
  };
  const style = r.pick(['inline', 'reference', 'simpleTree'] as const);
  const test =
    style === 'inline'
      ? { params: [{ d: 'D' }, { t: 'N' }], ret: 'boolean', do: { 'model.tree.simpleTest': ['d', 't'] } }
      : { fcn: 'model.tree.simpleTest' };
  const walk = (datum: string, tree: unknown) =>
    style === 'simpleTree' ? { 'model.tree.simpleTree': [datum, tree] } : { 'model.tree.simpleWalk': [datum, tree, test] };
  const depth = r.int(1, 7);
  const tree = () =>
    randomTree(
      r,
      depth,
      'N',
      ['pass', 'fail'],
      () => ({ field: r.pick(fields).name, operator: r.pick(OPERATORS), value: r.pick(GRID) }),
      () => leafOf(r, leaf),
    );
  const doc = {
    input: { type: 'record', name: 'D', fields: fields.map((f) => ({ name: f.name, type: f.kind })) },
    output: output(collect, score),
    cells: cells(r, collect, nodeType, tree),
    action: action(collect, walk, 'N', score, r.pick(STARTS)),
  };
  return {
    label: `compare document ${seed} (${style}, ${collect}, ${leaf} leaves as ${score})`,
    doc,
    inputs: inputsOf(r, fields),
    kind: 'compare',
    reduce: collect,
  };
}

/** missingWalk with the PMML lowering's test over nullable number and string fields. */
function missingCase(r: Rng, seed: number): Case {
  const fields: Field[] = Array.from({ length: r.int(1, 4) }, (_, i) => ({
    name: `m${i}`,
    kind: r.pick(['double', 'float', 'int', 'string'] as const),
    nullable: r.chance(0.8),
  }));
  const collect = r.pick(COLLECTIONS);
  const leaf: LeafKind = numeric(collect) ? r.pick(['double', 'int'] as const) : r.pick(['double', 'int', 'string'] as const);
  const score = scoreType(r, collect, leaf);
  // An Avro union holds one array type: a document's sets are all of strings or all of doubles.
  const setItems = r.pick(['string', 'double'] as const);
  const nodeType = {
    type: 'record',
    name: 'MN',
    fields: [
      { name: 'field', type: { type: 'enum', name: 'MF', symbols: fields.map((f) => f.name) } },
      { name: 'operator', type: 'string' },
      { name: 'value', type: ['double', 'string', { type: 'array', items: setItems }] },
      { name: 'ifMissing', type: ['null', 'boolean'] },
      { name: 'pass', type: [leaf, 'MN'] },
      { name: 'fail', type: [leaf, 'MN'] },
      { name: 'missing', type: [leaf, 'MN'] },
    ],
  };
  const test = {
    params: [{ d: 'MD' }, { t: 'MN' }],
    ret: ['null', 'boolean'],
    do: [
      { ifnotnull: { r: { 'model.tree.missingTest': ['d', 't'] } }, then: { upcast: 'r', as: ['null', 'boolean'] }, else: 't.ifMissing' },
    ],
  };
  const walk = (datum: string, tree: unknown) => ({ 'model.tree.missingWalk': [datum, tree, test] });
  // Sometimes one numeric operator for the whole document, as converters write (XGBoost's `<`
  // beside its set tests), which the flat walk inlines.
  // Sometimes every split sends a missing field to `fail` (as XGBoost and LightGBM do), with no
  // numeric `!=`: the walk then reads a missing field from X and K alone.
  const allFail = r.chance(0.3);
  // Or a missing field routed by the tests alone but for a few splits with a `missing` branch of
  // their own (at a tree's root here, one on any path): set tests sending it to `pass` or `fail`
  // (Spark's XGBoost `notIn` sets to `pass`), which a walk without missing flags reads from its
  // table of sets, and guards before the roots.
  const routed = !allFail && r.chance(0.4);
  // Then often orderings alone, of every kind (a LightGBM or XGBoost model trained with missing
  // values: `<` beside `>=`), which such a walk turns into `<` alone; or with `==` and `!=` too (a
  // random forest's integer categories), which it turns into set tests.
  const orderings = allFail && r.chance(0.5);
  const numericOps = orderings ? (r.chance(0.5) ? ORDERINGS : OPERATORS) : r.chance(0.4) ? [r.pick(OPERATORS)] : OPERATORS;
  const ops = (allFail && !orderings) || routed ? numericOps.filter((o) => o !== '!=') : numericOps;
  const set = (): unknown[] =>
    Array.from({ length: r.int(0, 4) }, () => (setItems === 'string' ? r.pick(WORDS) : r.chance(0.7) ? r.pick(GRID) : r.int(-3, 3)));
  const split = (level: number) => {
    const field = r.pick(fields);
    const member = setItems === (field.kind === 'string' ? 'string' : 'double') && r.chance(0.4);
    const ifMissing = allFail
      ? { boolean: false }
      : !routed
        ? r.pick([null, { boolean: true }, { boolean: false }])
        : level === 0 && r.chance(0.5)
          ? null
          : member
            ? r.pick([{ boolean: true }, { boolean: false }])
            : { boolean: false };
    if (member) return { field: field.name, operator: r.pick(['in', 'notIn']), value: { array: set() }, ifMissing };
    if (field.kind === 'string') return { field: field.name, operator: r.pick(['==', '!=']), value: { string: r.pick(WORDS) }, ifMissing };
    return { field: field.name, operator: r.pick(ops.length ? ops : ['<']), value: { double: r.pick(GRID) }, ifMissing };
  };
  const depth = r.int(1, 5);
  const tree = () => randomTree(r, depth, 'MN', ['pass', 'fail', 'missing'], split, () => leafOf(r, leaf));
  const doc = {
    input: {
      type: 'record',
      name: 'MD',
      fields: fields.map((f) => ({ name: f.name, type: f.nullable ? ['null', f.kind] : f.kind })),
    },
    output: output(collect, score),
    cells: cells(r, collect, nodeType, tree),
    action: action(collect, walk, 'MN', score, r.pick(STARTS)),
  };
  return {
    label: `missing document ${seed} (${collect}, ${leaf} leaves as ${score}, sets of ${setItems})`,
    doc,
    inputs: inputsOf(r, fields),
    kind: 'missing',
    reduce: collect,
    allFail,
    orderings,
    routed,
  };
}

/**
 * Whether missing-aware trees hold set tests (a number's `==` and `!=` among them) beside
 * orderings and no other comparison: the flat walk then tests sets as columns of X (set-columns.ts).
 */
function mixesSetsAndOrderings(roots: readonly MissingBranch[]): boolean {
  let sets = false;
  let orderings = false;
  const stack = [...roots];
  while (stack.length > 0) {
    const b = stack.pop()!;
    if (isLeaf(b)) continue;
    const t = b.test;
    if (t.kind === 'member' || t.op === '==' || t.op === '!=') sets = true;
    else orderings = true;
    stack.push(b.pass, b.fail, b.missing);
  }
  return sets && orderings;
}

/** The forest program recognised for the action's outermost tree call. */
function programOf(doc: object): ForestProgram | undefined {
  const checked = checkPfaSource(doc);
  let found: ForestProgram | undefined;
  new Compiler(checked, new RuntimeLink(), (call) => {
    found ??= recogniseTree(call)?.program;
    return undefined;
  }).body(checked.doc.action);
  return found;
}

/** Exact equality: numbers by Object.is, arrays member by member. */
function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return Object.is(a, b);
}

const show = (v: unknown): string =>
  JSON.stringify(v, (_, x) =>
    typeof x === 'bigint' ? `${x}n` : typeof x === 'number' && !Number.isFinite(x) ? String(x) : Object.is(x, -0) ? '-0' : x,
  );

describe('forest programs', () => {
  it(`on ${DOCUMENTS} random forests, the generic walk, the specialised backend and every lowering agree`, () => {
    const counts = {
      ifs: 0,
      flat: 0,
      missing: 0,
      allFail: 0,
      orderings: 0,
      routed: 0,
      columns: 0,
      converted: 0,
      reduce: new Set<string>(),
      varied: 0,
    };
    for (let seed = 1; seed <= DOCUMENTS; seed++) {
      const r = new Rng(seed);
      const c = r.chance(0.5) ? compareCase(r, seed) : missingCase(r, seed);
      const program = programOf(c.doc);
      if (!program) expect.fail(`${c.label}: no forest program recognised`);
      expect(program.kind).toBe(c.kind);
      expect(program.reduce).toBe(c.reduce);
      const generic = loadPfa(c.doc, { backend: 'closures' });
      const specialised = loadPfa(c.doc);
      const lowerings: [string, (d: unknown) => unknown][] = [['closure lowering', lowerTreeClosure(program)]];
      if (program.kind === 'compare') {
        lowerings.push(
          ['flat lowering', lowerTreeFlat(program)],
          ['flat lowering, groups stopping early', lowerTreeFlat(program, 'always')],
          ['flat lowering, fixed depth', lowerTreeFlat(program, 'never')],
        );
        counts.flat++;
        if (program.reduce === 'one') {
          lowerings.push(['nested ifs', lowerTreeIfs(program)]);
          counts.ifs++;
        }
      } else {
        lowerings.push(
          ['missing-aware flat lowering', lowerMissingTreeFlat(program)],
          ['missing-aware flat lowering, groups stopping early', lowerMissingTreeFlat(program, { earlyStop: 'always' })],
          ['missing-aware flat lowering, fixed depth', lowerMissingTreeFlat(program, { earlyStop: 'never' })],
          ['missing-aware flat lowering, lanes refilled', lowerMissingTreeFlat(program, { earlyStop: 'refill' })],
          [
            'missing-aware flat lowering, missing fields always looked up',
            lowerMissingTreeFlat(program, { missingByTests: 'never', completeWalk: 'never' }),
          ],
          [
            'missing-aware flat lowering, missing flags kept, complete records walked without them',
            lowerMissingTreeFlat(program, { missingByTests: 'never' }),
          ],
          ['missing-aware flat lowering, each ordering its own operator', lowerMissingTreeFlat(program, { orderingsAsLess: 'never' })],
          ['missing-aware flat lowering, missing flags instead of guards', lowerMissingTreeFlat(program, { missingGuards: 'never' })],
          ['missing-aware flat lowering, set tests looked up in their table', lowerMissingTreeFlat(program, { setsAsColumns: 'never' })],
          ['missing-aware flat lowering, set tests as columns', lowerMissingTreeFlat(program, { setsAsColumns: 'always' })],
        );
        if (mixesSetsAndOrderings(program.trees)) counts.columns++;
        counts.missing++;
        if (c.allFail) counts.allFail++;
        if (c.orderings) counts.orderings++;
        if (c.routed) counts.routed++;
      }
      counts.reduce.add(`${program.kind} ${program.reduce}`);
      if (program.convert) counts.converted++;
      const answers = new Set<string>();
      for (const x of c.inputs) {
        const want = generic.action(x);
        answers.add(show(want));
        const got: [string, unknown][] = [
          ['specialised backend', specialised.action(x)],
          ...lowerings.map(([n, f]): [string, unknown] => [n, f(x)]),
        ];
        for (const [name, value] of got)
          if (!same(value, want))
            expect.fail(`${c.label}, ${name} on ${show(x)}: ${show(value)} where the generic walk gives ${show(want)}\n${show(c.doc)}`);
      }
      if (answers.size > 1) counts.varied++;
    }
    // Every lowering ran on many documents, and the inputs reached different leaves.
    expect(counts.ifs).toBeGreaterThan(20);
    expect(counts.flat).toBeGreaterThan(100);
    expect(counts.missing).toBeGreaterThan(100);
    expect(counts.allFail).toBeGreaterThan(20);
    expect(counts.orderings).toBeGreaterThan(5);
    expect(counts.routed).toBeGreaterThan(20);
    expect(counts.columns).toBeGreaterThan(20);
    expect(counts.reduce.size).toBe(10);
    expect(counts.converted).toBeGreaterThan(5);
    expect(counts.varied).toBeGreaterThan(DOCUMENTS * 0.8);
  });
});
