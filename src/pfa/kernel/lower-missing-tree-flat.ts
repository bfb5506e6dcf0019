/**
 * A missing-aware forest as a lockstep walk over flat typed arrays (flat-walk.ts). Datum fields
 * are numbers or strings, each possibly null. Numbers are compared as in model.tree.missingTest; a
 * value some set tests is turned into a category number once per record, and every set test (string
 * `==`/`!=` among them) becomes a lookup in a table of sets built at compile time, or, beside
 * orderings, a comparison of a column of the record's values that a row of such a table fills
 * (set-columns.ts).
 */
import { code, compileKernel, join, property, Scope, type Code, type Name } from '../../codegen/index.js';
import { FlatLeaves, LeafDepths, Locals, walkForest, type EarlyStop } from './flat-walk.js';
import {
  COMPARISONS,
  isLeaf,
  type Comparison,
  type CompareTest,
  type IfMissing,
  type MemberTest,
  type MissingBranch,
  type MissingForest,
  type MissingSplit,
} from './ir.js';
import { JS_COMPARISONS } from './lower-tree-ifs.js';
import { COLUMN_THRESHOLD, SetColumns } from './set-columns.js';

/** Operator codes of the layout: a numeric comparison's index in COMPARISONS, or MEMBER. */
const OP_INDEX: ReadonlyMap<string, number> = new Map(COMPARISONS.map((o, i) => [o, i]));
const MEMBER = COMPARISONS.length;
const LESS = OP_INDEX.get('<')!;

/** Where a test on a missing field goes, as an offset from the `fail` slot. */
const IF_MISSING: Readonly<Record<IfMissing, number>> = { fail: 0, pass: 1, missing: 2 };

/** Int32 slots of a node: the threshold (or set row, or leaf) as a double, field, operator, fail, pass, missing, and where a missing field goes. */
const NODE = 8;

/**
 * Trees walked side by side, so that their loads overlap (as in lower-tree-flat.ts): eight, or four
 * where groups stop early. Against four throughout, eight score full-depth ensembles faster
 * (sparkml-XGBoostAuto 2.24 -> 1.89 us a record, sklearn-XGBoostAuditNA 3.89 -> 3.09,
 * sklearn-GradientBoostingAudit 1.77 -> 1.63) but unbalanced ones slower, since a group that stops
 * early walks until its deepest lane is on a leaf (sklearn-RandomForestAuto 1.83 -> 2.03,
 * sklearn-LightGBMAuditNA 7.68 -> 8.55): those keep four.
 */
const LANES = 8;
const EARLY_LANES = 4;

/** Operators as code, by their number. */
const JS_OPS: readonly Code[] = COMPARISONS.map((op) => JS_COMPARISONS[op]);

/**
 * A split's test as the layout takes it: a number's `==` or `!=` is a test of membership in a set
 * of that one number (not NaN, which no `==` matches and Map would), so that the comparisons left
 * are orderings, which can all be `<` (`asLess`). The model.tree semantics hold: NaN is in no set,
 * so `==` fails and `!=` passes, and a missing field fails both (`noFlags`).
 */
function equalityAsMember(split: MissingSplit): CompareTest | MemberTest {
  const t = split.test;
  if (t.kind !== 'compare' || (t.op !== '==' && t.op !== '!=') || Number.isNaN(t.value)) return t;
  return { kind: 'member', set: [t.value], negate: t.op === '!=' };
}

/**
 * Where a split sends a missing field without a flag per field (`noFlags` below): `fail`, for a
 * test that fails on its own for a value compared with NaN (all but a numeric `!=`); `pass`, for a
 * set test, whose row of M then has a 1 in the missing column; or, for a `missing` branch of its
 * own, a set test of "is missing" laid before the split (`guard`).
 */
type MissingRoute = 'test' | 'guard' | 'flag';

function missingRoute(split: MissingSplit, test: CompareTest | MemberTest): MissingRoute {
  if (split.ifMissing === 'missing') return 'guard';
  if (split.ifMissing === 'fail') return test.kind === 'compare' && test.op === '!=' ? 'flag' : 'test';
  return test.kind === 'member' ? 'test' : 'flag';
}

/**
 * Every category a set test names, numbered in the order first met, the number of nodes, whether
 * every split sends a missing field where its test alone can (MissingRoute), and the most splits
 * with a `missing` branch of their own on one path of a tree.
 */
function census(
  roots: readonly MissingSplit[],
  testOf: (split: MissingSplit) => CompareTest | MemberTest,
): {
  categories: Map<string | number, number>;
  nodes: number;
  allTest: boolean;
  /** Splits with a `missing` branch of their own, and the most of them on one path. */
  guards: number;
  guardsOnAPath: number;
  /** Bit i set when some split compares with COMPARISONS[i]. */
  numericOps: number;
  /** Every set test, as columns; the splits with a `missing` branch of their own, for their guards' columns. */
  columns: SetColumns;
  guarded: MissingSplit[];
  /** The steps of a record's walks, about: each tree's leaves' mean depth, summed (as LeafDepths counts them). */
  steps: number;
} {
  // Map keys keep "1" and 1 apart.
  const categories = new Map<string | number, number>();
  let nodes = 0;
  let allTest = true;
  let guards = 0;
  let guardsOnAPath = 0;
  let numericOps = 0;
  const columns = new SetColumns();
  const guarded: MissingSplit[] = [];
  let steps = 0;
  // Iterative: a tree is as deep as its document allows. Three stacks (the branches, the guards
  // above each, and their level, as -1 - level for a `missing` branch, whose leaf LeafDepths does
  // not count) rather than a tuple per node: this runs once, mostly in the interpreter, which
  // destructures a tuple through the iterator protocol.
  const stack: MissingBranch[] = [];
  const above: number[] = [];
  const levels: number[] = [];
  for (const root of roots) {
    stack.push(root);
    above.push(0);
    levels.push(0);
    let leafLevels = 0;
    let leaves = 0;
    while (stack.length > 0) {
      const b = stack.pop()!;
      const onPath = above.pop()!;
      const at = levels.pop()!;
      const level = at < 0 ? -1 - at : at;
      nodes++;
      if (isLeaf(b)) {
        if (at >= 0) {
          leafLevels += level;
          leaves++;
        }
        continue;
      }
      const test = testOf(b);
      if (test.kind === 'member') {
        for (const c of test.set) if (!categories.has(c)) categories.set(c, categories.size);
        columns.add(b, test, b.ifMissing === 'pass' ? 1 : 0);
      }
      if (test.kind === 'compare') numericOps |= 1 << OP_INDEX.get(test.op)!;
      const route = missingRoute(b, test);
      if (route === 'flag') allTest = false;
      if (route === 'guard') {
        guards++;
        guarded.push(b);
      }
      const below = route === 'guard' ? onPath + 1 : onPath;
      guardsOnAPath = Math.max(guardsOnAPath, below);
      stack.push(b.pass, b.fail, b.missing);
      above.push(below, below, below);
      levels.push(level + 1, level + 1, -2 - level);
    }
    if (leaves > 0) steps += leafLevels / leaves;
  }
  return { categories, nodes, allTest, guards, guardsOnAPath, numericOps, columns, guarded, steps };
}

/** The most guards (see `noFlags`) on one path of a tree. */
const MAX_GUARDS = 1;

/** A guard's test: no value is in its set, and its row of M sends a missing field to `pass`. */
const IS_MISSING: MemberTest = { kind: 'member', set: [], negate: false };

/** The orderings, as bits of operator codes. */
const ORDERINGS = (1 << LESS) | (1 << OP_INDEX.get('<=')!) | (1 << OP_INDEX.get('>')!) | (1 << OP_INDEX.get('>=')!);

/** The least double above the finite `t`. */
function nextUp(t: number): number {
  if (t === 0) return Number.MIN_VALUE;
  const bits = new BigInt64Array(new Float64Array([t]).buffer);
  bits[0] = bits[0]! + (t > 0 ? 1n : -1n);
  return new Float64Array(bits.buffer)[0]!;
}

/**
 * An ordering of x against a finite t as `<` against a threshold, of x itself or of -x (`negate`):
 * x <= t is x < nextUp(t), x > t is -x < -t, x >= t is -x < nextUp(-t), for every double x; and a
 * NaN x (a missing field) fails both forms.
 */
function asLess(op: Comparison, t: number): { negate: boolean; threshold: number } {
  switch (op) {
    case '<':
      return { negate: false, threshold: t };
    case '<=':
      return { negate: false, threshold: nextUp(t) };
    case '>':
      return { negate: true, threshold: -t };
    case '>=':
      return { negate: true, threshold: nextUp(-t) };
    default:
      throw new Error(`internal: ${op} is not an ordering`);
  }
}

/** How the missing-aware flat walk may be told to walk, for the specs to compare every walk with the others. */
export interface MissingFlatOptions {
  readonly earlyStop?: EarlyStop;
  /** `never`: keep a missing flag per field even where every split's test can route a missing field. */
  readonly missingByTests?: 'auto' | 'never';
  /** `never`: keep missing flags where some split has a `missing` branch of its own, instead of a guard before it. */
  readonly missingGuards?: 'auto' | 'never';
  /** `never`: keep each ordering's own operator even where all can be `<`, and a number's `==` and `!=` as comparisons. */
  readonly orderingsAsLess?: 'auto' | 'never';
  /** `never`: one walk, looking up missing flags, for records without a missing field too. */
  readonly completeWalk?: 'auto' | 'never';
  /**
   * `never`: keep set tests as lookups in the table of sets beside comparisons, not columns of X
   * (set-columns.ts); `always`: columns however many a record writes for the steps its walks take.
   */
  readonly setsAsColumns?: 'auto' | 'always' | 'never';
}

/**
 * Trees in one typed array, walked LANES at a time in lockstep (`fail`, `pass` and `missing` in adjacent
 * slots, so the next node is `I[b + 4 + k]`). A leaf's branches are itself, so every walk of a tree
 * takes as many steps as it is deep (flat-walk.ts). Field values are copied once per record into X
 * (numbers), K (category numbers of the values sets name, for fields sets test) and N (1 where the
 * field is missing). A set test reads row `v` of the membership table M at the category's column
 * (`v` the node's double, or its operator slot where one numeric operator mixes with set tests);
 * the last column is every value no set names. A missing field's stale X and K are never read: its
 * tests take the ifMissing branch (a record with no missing field takes a walk that reads no N:
 * `completeWalk`). Where every split's test can route a missing field, there is no N
 * (see `noFlags` below); `missingByTests: 'never'` keeps N anyway, for the specs to compare. X also
 * holds the negation of each field a `>` or `>=` reads when the orderings become `<` (see `toLess`,
 * and `equalityAsMember` for `==` and `!=`; `orderingsAsLess: 'never'` keeps each operator), and,
 * after those, the columns of set tests beside orderings (`asColumns`), which take K and M's place.
 * (A leaf's own step may read outside M, hence `| 0`: any of its branches is itself.)
 */
export function lowerMissingTreeFlat(program: MissingForest, options: MissingFlatOptions = {}): (datum: unknown) => unknown {
  const { trees: roots, convert, reduce } = program;
  const keepOperators = options.orderingsAsLess === 'never';
  const testOf = keepOperators ? (split: MissingSplit) => split.test : equalityAsMember;
  const shape = census(roots, testOf);
  const { categories, numericOps } = shape;
  // Where every missing field goes where its split's test sends it, a missing number is NaN in X,
  // which fails every comparison left, and a missing category has a column of its own in M, 0 in
  // every row but those of set tests that send it to `pass`: the step needs no N and no branch on
  // it. A split with a `missing` branch of its own is then a guard before it: a set test of "is
  // missing" whose `pass` is that branch. A guard is a step more on each walk through it, where a
  // flag is a load and a branch more on every step of every walk: guards are laid where no path
  // meets more than MAX_GUARDS of them (a converter's few `missing` leaves among thousands of
  // splits: sparkml-LightGBMAutoNA 3.0 -> 1.9 us a record), flags elsewhere (a random forest's
  // every split).
  const guarded = shape.guardsOnAPath > 0 && shape.guardsOnAPath <= MAX_GUARDS && options.missingGuards !== 'never';
  const noFlags = shape.allTest && (shape.guardsOnAPath === 0 || guarded) && options.missingByTests !== 'never';
  const guards = noFlags ? shape.guards : 0;
  const nodes = shape.nodes + guards;
  // Set tests (and guards) beside orderings become columns of X compared with `<` like the
  // orderings, where the columns are few enough (set-columns.ts): one step, without a branch, for
  // every node.
  const { columns } = shape;
  if (guards > 0) for (const split of shape.guarded) columns.add(split, IS_MISSING, 1, true);
  const asColumns =
    !keepOperators &&
    options.setsAsColumns !== 'never' &&
    numericOps !== 0 &&
    (numericOps & ~ORDERINGS) === 0 &&
    columns.fit(options.setsAsColumns === 'always' ? Infinity : shape.steps);
  // Numeric tests that are orderings of more than one kind (XGBoost's and LightGBM's where the
  // training data had missing values: `<` beside `>=`; a random forest's `<=` beside `>`), or
  // beside set columns, all become `<` (asLess), on the field or on a column of its negation, so
  // that the step inlines one comparison instead of looking the operator up. (A missing field's
  // stale X is never read where N is kept, and is NaN, which fails both forms, where it is not.)
  const toLess = !keepOperators && (numericOps & ~ORDERINGS) === 0 && (asColumns || (numericOps & (numericOps - 1)) !== 0);
  /** The X column of each negated field, by field, numbered after the fields once all are known. */
  const negated = new Map<number, number>();
  /** Nodes that compare a negated field: their field slot is set once the columns are numbered. */
  const negatedAt: [number, number][] = [];
  /** Nodes that test a set column (of their split, or of its guard): the same. */
  const columnAt: [number, MissingSplit, boolean][] = [];
  /** Lays node `at` out as the test `X[column] < COLUMN_THRESHOLD` of the set test of `split` (or of its guard). */
  const columnTest = (at: number, split: MissingSplit, guard: boolean): number => {
    V[at >> 1] = COLUMN_THRESHOLD;
    columnAt.push([at, split, guard]);
    return LESS;
  };
  const other = categories.size;
  const width = categories.size + (noFlags ? 2 : 1);
  // Two nodes more, after the trees: where a refilled lane parks (flat-walk.ts).
  const buffer = new ArrayBuffer((nodes + 2) * NODE * 4);
  const I = new Int32Array(buffer);
  const V = new Float64Array(buffer);
  const fields = new Map<string, number>();
  /** Fields some set test reads: their category numbers go to K. */
  const setFields = new Set<number>();
  /** The set tests, each with where a missing field goes where there are no flags (1: `pass`). */
  const sets: { test: MemberTest; missing: 0 | 1 }[] = [];
  /** The offset in M of a new row for set test `test` of field `f`, and where it sends a missing field. */
  const setRow = (f: number, test: MemberTest, missing: 0 | 1): number => {
    setFields.add(f);
    return (sets.push({ test, missing }) - 1) * width;
  };
  const leaves = new FlatLeaves(V);
  /** Bit i set when some split uses operator i (MEMBER included). */
  let usedOps = 0;
  let next = 0;
  const leafDepths = new LeafDepths(roots.length);
  // Lays out the subtree at the next free node, `level` steps below its root, in preorder; returns
  // its depth. Leaves are counted in leafDepths only where present values lead (`pass`, `fail`): a
  // `missing` leaf hangs under most nodes, at every depth.
  const lay = (level: number, br: MissingBranch, counted = true): number => {
    const at = next++ * NODE;
    if (isLeaf(br)) {
      leaves.set(at, convert ? convert(br.leaf) : br.leaf);
      if (counted) leafDepths.leaf(level);
      I[at + 4] = I[at + 5] = I[at + 6] = at;
      return 0;
    }
    let f = fields.get(br.field);
    if (f === undefined) fields.set(br.field, (f = fields.size));
    if (!(noFlags && br.ifMissing === 'missing')) return laySplit(at, level, br, f, true);
    // A guard: its `pass` is the split's `missing` branch, its `fail` the split, which no missing
    // field then reaches. (Its slot 7 stays unset: only a walk with flags reads it.)
    const op = asColumns ? columnTest(at, br, true) : MEMBER;
    if (op === MEMBER) V[at >> 1] = setRow(f, IS_MISSING, 1);
    usedOps |= 1 << op;
    I[at + 2] = f;
    I[at + 3] = op;
    I[at + 5] = next * NODE;
    const missing = lay(level + 1, br.missing, false);
    const split = next++ * NODE;
    I[at + 4] = I[at + 6] = split;
    return 1 + Math.max(missing, laySplit(split, level + 1, br, f, false));
  };
  /** Lays out split `br` of field `f` at `at`, and its branches after it (its `missing` branch unless a guard laid it). */
  const laySplit = (at: number, level: number, br: MissingSplit, f: number, withMissing: boolean): number => {
    let op: number;
    const test = testOf(br);
    if (test.kind === 'compare' && toLess) {
      const { negate, threshold } = asLess(test.op, test.value);
      op = LESS;
      V[at >> 1] = threshold;
      if (negate) {
        if (!negated.has(f)) negated.set(f, negated.size);
        negatedAt.push([at, f]);
      }
    } else if (test.kind === 'compare') {
      op = OP_INDEX.get(test.op)!;
      V[at >> 1] = test.value;
    } else if (asColumns) op = columnTest(at, br, false);
    else {
      op = MEMBER;
      V[at >> 1] = setRow(f, test, br.ifMissing === 'pass' ? 1 : 0);
    }
    usedOps |= 1 << op;
    I[at + 2] = f;
    I[at + 3] = op;
    I[at + 7] = IF_MISSING[br.ifMissing];
    I[at + 5] = next * NODE;
    const pass = lay(level + 1, br.pass);
    I[at + 4] = next * NODE;
    const fail = lay(level + 1, br.fail);
    if (!withMissing) {
      I[at + 6] = I[at + 4];
      return 1 + Math.max(pass, fail);
    }
    I[at + 6] = next * NODE;
    const missing = lay(level + 1, br.missing, false);
    return 1 + Math.max(pass, fail, missing);
  };
  // Each park node's branches are the other: a parked lane is never on a leaf. Their field is 0,
  // their operator `<` and their threshold 0, which every step reads within bounds.
  const park = nodes * NODE;
  for (const [at, twin] of [
    [park, park + NODE],
    [park + NODE, park],
  ] as const)
    I[at + 4] = I[at + 5] = I[at + 6] = twin;
  const rootSlots = new Int32Array(roots.length);
  const depths = new Int32Array(roots.length);
  roots.forEach((r, t) => {
    rootSlots[t] = next * NODE;
    depths[t] = lay(0, r);
    leafDepths.tree(t);
  });
  // The negated columns follow the fields in X.
  for (const [f, k] of negated) negated.set(f, fields.size + k);
  for (const [at, f] of negatedAt) I[at + 2] = negated.get(f)!;
  // And the set columns follow those, field by field.
  const columnCount = asColumns ? columns.number(fields.keys(), fields.size + negated.size) : 0;
  for (const [at, split, guard] of columnAt) I[at + 2] = columns.columnOf(split, guard);
  const M = new Uint8Array(Math.max(1, sets.length * width));
  // A row is the answer for every value no set names, then each member's column is the other one
  // (a native fill and a write per member, not a lookup per column: rows are as wide as there are
  // categories in the whole ensemble).
  sets.forEach(({ test: s, missing }, r) => {
    M.fill(s.negate ? 1 : 0, r * width, r * width + other + 1);
    for (const x of s.set) M[r * width + categories.get(x)!] = s.negate ? 0 : 1;
    if (noFlags) M[r * width + other + 1] = missing;
  });
  // Mixed operators: a numeric comparison is looked up in OPT by operator and by how x and v
  // compare (1 less, 2 equal, 4 greater, 0 unordered: NaN), which spares a chain of branches.
  const OPT = new Uint8Array(COMPARISONS.length * 8);
  COMPARISONS.forEach((op, o) => {
    for (const [at, c] of [
      [0, NaN],
      [1, -1],
      [2, 0],
      [4, 1],
    ] as const)
      OPT[o * 8 + at] = +{ '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0, '==': c === 0, '!=': !(c === 0) }[op];
  });

  const scope = new Scope();
  const locals = new Locals(scope);
  const [Ib, Vb] = [locals.bind('I', I), locals.bind('V', V)];
  const [X, K, N] = [
    locals.bind('X', new Float64Array(fields.size + negated.size + columnCount)),
    locals.bind('K', new Float64Array(fields.size)),
    locals.bind('N', new Uint8Array(fields.size + negated.size + columnCount)),
  ];
  const [S, Mb] = [locals.bind('S', categories), locals.bind('M', M)];
  const [d, v, f, r, j] = [scope.name('d'), scope.name('v'), scope.name('f'), scope.name('r'), scope.name('j')];
  /** 1 once some field of the record is missing (where missing flags are kept). */
  const anyMissing = scope.name('m');
  // One operator (splits always use some) is inlined; so is one numeric operator beside set tests
  // (an XGBoost ensemble's `<` with its categorical splits), where the table would cost a load and
  // three comparisons a node.
  const single = usedOps !== 0 && (usedOps & (usedOps - 1)) === 0 ? 31 - Math.clz32(usedOps) : undefined;
  const laidOps = usedOps & ~(1 << MEMBER);
  const singleNumeric = laidOps !== 0 && (laidOps & (laidOps - 1)) === 0 ? 31 - Math.clz32(laidOps) : undefined;
  const OPTb = singleNumeric === undefined ? locals.bind('OPT', OPT) : undefined;
  // Set tests beside one numeric operator: the operator slot then holds a set test's row of M (an
  // int, read without V's double and its conversion) and -1 for a comparison or a leaf, so the step
  // tells the two apart by its sign (sklearn-XGBoostAudit 2.86-2.89 -> 2.70-2.72 us a record).
  if (single === undefined && singleNumeric !== undefined)
    for (let at = 0; at < I.length; at += NODE) I[at + 3] = I[at + 4] !== at && I[at + 3] === MEMBER ? V[at >> 1]! : -1;
  const bit = (x: Code, t: Code, o: Code): Code => {
    if (single === MEMBER) return code`(${Mb}[${t} + ${K}[${f}]] | 0)`;
    if (single !== undefined) return code`+(${x} ${JS_OPS[single]!} ${t})`;
    if (singleNumeric !== undefined) return code`((${r} = ${o}) >= 0 ? ${Mb}[${r} + ${K}[${f}]] : +(${x} ${JS_OPS[singleNumeric]!} ${t}))`;
    return code`(${o} === ${MEMBER} ? ${Mb}[${t} + ${K}[${f}]] | 0 : ${OPTb!}[(${o} << 3) | (${x} < ${t}) | ((${x} == ${t}) << 1) | ((${x} > ${t}) << 2)])`;
  };
  /** A step, looking up the field's missing flag first (`flags`) or not. */
  const stepOf =
    (flags: boolean) =>
    (b: Name): Code => {
      const test = bit(code`${X}[${f}]`, code`${Vb}[${b} >> 1]`, code`${Ib}[${b} + 3]`);
      return flags
        ? code`{ const ${f} = ${Ib}[${b} + 2]; ${b} = ${Ib}[${b} + 4 + (${N}[${f}] === 1 ? ${Ib}[${b} + 7] : ${test})]; }`
        : code`{ const ${f} = ${Ib}[${b} + 2]; ${b} = ${Ib}[${b} + 4 + ${test}]; }`;
    };
  const copy = [...fields.keys()].map((name, i) => {
    const written = asColumns && columns.has(name) ? columns.writers(name, locals, { X, N, v, r, j }) : undefined;
    const category = setFields.has(i) ? code` ${K}[${i}] = ${S}.get(${v}) ?? ${other};` : written ? code` ${written.present}` : code``;
    const present = program.strings.has(name) ? category : code` ${X}[${i}] = ${v};${category}`;
    const negation = negated.has(i) ? code` ${X}[${negated.get(i)!}] = -${X}[${i}];` : code``;
    if (!noFlags) {
      // A test of the negated column, or of a set column, looks up the field's missing flag at the column's index.
      const flag = (bit: number): Code =>
        negated.has(i) ? code`${N}[${i}] = ${N}[${negated.get(i)!}] = ${bit};` : code`${N}[${i}] = ${bit};`;
      if (written) {
        // The set columns' flags are cleared only after a record where the field was missing.
        const clear = code`if (${N}[${i}] === 1) { ${flag(0)} ${written.flags(0)} }`;
        return code`${v} = ${property(d, name)}; if (${v} === null) { ${flag(1)} ${written.flags(1)} ${anyMissing} = 1; } else { ${clear}${present}${negation} }`;
      }
      return code`${v} = ${property(d, name)}; if (${v} === null) { ${flag(1)} ${anyMissing} = 1; } else { ${flag(0)}${present}${negation} }`;
    }
    const absent = [
      program.strings.has(name) ? code`` : code` ${X}[${i}] = NaN;`,
      setFields.has(i) ? code` ${K}[${i}] = ${other + 1};` : written ? code` ${written.missing}` : code``,
    ];
    return code`${v} = ${property(d, name)}; if (${v} === null) {${join(absent, code``)} } else {${present} }${negation}`;
  });
  const leaf = leaves.reader(locals, Vb);
  const walk = (flags: boolean): Code =>
    walkForest(scope, locals, {
      lanes: LANES,
      earlyLanes: EARLY_LANES,
      roots: rootSlots,
      depths,
      reduce,
      start: program.start,
      step: stepOf(flags),
      leaf,
      isLeaf: (b) => code`${Ib}[${b} + 4] === ${b}`,
      leafDepths: leafDepths.means,
      earlyStop: options.earlyStop ?? 'auto',
      park,
    });
  // Where a missing field has a branch of its own, each step looks up the field's missing flag. A
  // record with no missing field (most records) reads every flag as 0, so it takes a walk whose
  // steps do not look (a load and a branch fewer a step); `completeWalk: 'never'` keeps one walk.
  const walks =
    noFlags || options.completeWalk === 'never' ? walk(!noFlags) : code`if (${anyMissing} === 0) {\n${walk(false)}\n}\n${walk(true)}`;
  return compileKernel<(datum: unknown) => unknown>({
    scope,
    params: [d],
    body: code`${locals.declarations}\nlet ${v}, ${r}, ${anyMissing} = 0;\n${join(copy, code`\n`)}\n${walks}`,
  });
}
