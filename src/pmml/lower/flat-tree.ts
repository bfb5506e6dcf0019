/**
 * TreeModel lowered to constant data: the tree becomes a cell of binary test nodes walked by
 * `model.tree.missingWalk`, and its leaves are indexes into a cell of constant `Result`s. Checking
 * and compiling a cell of data is far cheaper than the nested conditionals of tree.ts, and the
 * specialised backend walks it over typed arrays (src/pfa/kernel/lower-missing-tree-flat.ts).
 *
 * A PMML node tests its children's predicates in order and descends into the first that holds;
 * here each test is one binary node: `pass` is the child's subtree, `fail` the next test (or, when
 * the next child's predicate is True or the complement of this one, that child directly). Every
 * node has a `missing` branch, and `ifMissing` says where an UNKNOWN test goes: true to `pass`,
 * false to `fail`, null to `missing`. Standard missingTest alone could only send it to `missing`,
 * which would have to hold a second copy of the pass or fail subtree at every level; the walk's
 * test is therefore missingTest with that fallback (`testFunction`).
 *
 * Trees that do not fit (predicates other than SimplePredicate comparisons and SimpleSetPredicates
 * of strings, or of numbers in trees without string sets; a defaultChild that is neither the tested
 * child nor the one `fail` leads to)
 * return undefined and keep the nested lowering. Collapsing a complement pair assumes a present
 * number is never NaN (PMML field values are not).
 *
 * The statements are `Pfa` forms of builder.ts; the cells are constant data (Avro JSON), typed
 * below. An error the PFA checker finds in a flat tree is located in the PMML (builder.ts
 * `originAt`): the statements, the cells and each tree's root record are recorded as lowered from
 * the TreeModel, each Result from the first Node that predicts it. The nodes of a tree record
 * nothing of their own: an origin is a WeakMap entry, and one per node of a forest (13,000 in
 * sklearn-RandomForestAudit) made loading it measurably slower.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { NULL_RESULT, sanitize, type LowerContext, type Scope, type FieldInfo, type ValueType } from './context.js';
import {
  bind,
  call,
  dataOrigin,
  item,
  local,
  member,
  origins,
  some,
  type CellRef,
  type Fcn,
  type Pfa,
  type Ref,
  type TypeJson,
} from './builder.js';
import { OPERATORS, parseArray, predicateChild } from './predicate.js';
import { floatConstant, floatMath } from './float.js';
import { fieldNumber } from './dates.js';
import { nodeResult } from './tree-node.js';

/** What a tree's leaves are: Result indexes, or scores. */
export type LeafType = 'int' | 'double';

/** The record of field values a tree walks over, with the types that name its fields. */
export interface TreeData {
  readonly symbol: Ref;
  readonly dataType: string;
  readonly nodeType: string;
  /** The node type's schema (each record type goes with the one tree cell that uses it). */
  readonly nodeSchema: TypeJson;
  /** PMML field name -> field of the record. */
  readonly fields: ReadonlyMap<string, string>;
  /**
   * The items of set values: an Avro union holds one array type, so a tree's sets are of strings
   * or of numbers (whichever its string sets need); sets of the other kind keep the nested form.
   */
  readonly setItems: 'string' | 'double';
  /** The record's first field and its type: what the node of a one-leaf tree tests (leafNode). */
  readonly first: { readonly name: string; readonly type: 'double' | 'string' };
}

/** The Result of each TreeModel an ensemble walk (lowerFlatEnsemble) has already walked. */
const walked = new WeakMap<XmlElement, CellRef>();

/** A test's value in the Avro JSON of the node type's `value` union. */
type TestValue = { readonly string: string } | { readonly double: number } | { readonly array: readonly (string | number)[] };

/** A node of the tree cell, as Avro JSON of the node type (declareData). */
export interface TreeNodeRecord {
  /** The symbol of the tested field in the record of field values. */
  readonly field: string;
  readonly operator: string;
  readonly value: TestValue;
  readonly ifMissing: { readonly boolean: boolean } | null;
  readonly pass: Branch;
  readonly fail: Branch;
  readonly missing: Branch;
}

/** A leaf: the index of its Result in the tree's Result cell, or (a summed ensemble, tree-sum.ts) the score itself. */
export type Leaf = { readonly int: number } | { readonly double: number };
/** A node in the `[TreeNode, int]` union of a branch: tagged with the node type's name. */
interface TaggedNode {
  readonly [nodeType: string]: TreeNodeRecord;
}
type Branch = Leaf | TaggedNode;

const COMPLEMENT: Record<string, string> = {
  equal: 'notEqual',
  notEqual: 'equal',
  lessThan: 'greaterOrEqual',
  greaterOrEqual: 'lessThan',
  lessOrEqual: 'greaterThan',
  greaterThan: 'lessOrEqual',
};

/** One binary test of the lowered tree: the PMML field it reads, and its operator and value (as Avro JSON). */
interface Test {
  readonly pmmlField: string;
  readonly operator: string;
  readonly value: TestValue;
  /** A second test of the same field whose pass leads to the same place (see `infinite`): pass when either passes. */
  readonly orElse?: Test;
}

/**
 * A comparison with an infinite value (LightGBM writes `lessOrEqual` "Infinity" for a split that
 * sends every present value one way) as tests with a finite one, which the tree cell's JSON can
 * hold, giving the same answer for every double, infinities and NaN included: `x < +Inf` is
 * `x <= MAX`, `x <= -Inf` is `x < -MAX`, `x <= +Inf` is `x <= MAX` or else `x > MAX`, and so on by
 * symmetry. An equality, and a comparison no double passes (`x < -Inf`, `x > +Inf`), keep the nested
 * form.
 */
function infinite(op: string, n: number, pmmlField: string): Test | undefined {
  const MAX = Number.MAX_VALUE;
  const test = (operator: string, value: number, orElse?: Test): Test => ({ pmmlField, operator, value: { double: value }, orElse });
  const up = n > 0;
  switch (op) {
    case '<':
      return up ? test('<=', MAX) : undefined;
    case '>':
      return up ? undefined : test('>=', -MAX);
    case '<=':
      return up ? test('<=', MAX, test('>', MAX)) : test('<', -MAX);
    case '>=':
      return up ? test('>', MAX) : test('>=', -MAX, test('<', -MAX));
    default:
      return undefined;
  }
}

/** A predicate as one test, or undefined when it is not one the walk can do. */
function testOf(pred: XmlElement, scope: Scope, setItems: 'string' | 'double'): Test | undefined {
  const f = scope.get(pred.attrs.field ?? '');
  if (!f || (f.type !== 'double' && f.type !== 'string')) return undefined;
  if (pred.name === 'SimplePredicate') {
    const op = OPERATORS[pred.attrs.operator ?? ''];
    const raw = pred.attrs.value;
    if (!op || raw === undefined) return undefined;
    if (f.type === 'string') return op === '==' || op === '!=' ? { operator: op, value: { string: raw }, pmmlField: f.name } : undefined;
    const n = fieldNumber(raw, f.dataType);
    if (n === undefined || n === null || Number.isNaN(n)) return undefined;
    if (!Number.isFinite(n)) return infinite(op, n, f.name);
    return { operator: op, value: { double: floatConstant(n, f.dataType === 'float') }, pmmlField: f.name };
  }
  if (pred.name === 'SimpleSetPredicate' && f.type === setItems) {
    const array = child(pred, 'Array');
    const op = pred.attrs.booleanOperator;
    if (!array || (op !== 'isIn' && op !== 'isNotIn')) return undefined;
    let items: (string | number)[] = parseArray(array.text);
    if (setItems === 'double') {
      // As predicate.ts reads them: numbers of the field's data type, float32 in a float field.
      const numbers = items.map((x) => fieldNumber(String(x), f.dataType));
      if (numbers.some((n) => n === undefined || n === null || !Number.isFinite(n))) return undefined;
      items = numbers.map((n) => floatConstant(n as number, f.dataType === 'float'));
    }
    return { operator: op === 'isIn' ? 'in' : 'notIn', value: { array: items }, pmmlField: f.name };
  }
  return undefined;
}

/** Whether predicate `b` holds exactly when `a` does not, for any present value. */
function complements(a: XmlElement, b: XmlElement): boolean {
  if (a.attrs.field !== b.attrs.field) return false;
  if (a.name === 'SimplePredicate' && b.name === 'SimplePredicate')
    return COMPLEMENT[a.attrs.operator ?? ''] === b.attrs.operator && a.attrs.value === b.attrs.value;
  if (a.name === 'SimpleSetPredicate' && b.name === 'SimpleSetPredicate') {
    const [x, y] = [a.attrs.booleanOperator, b.attrs.booleanOperator];
    const arr = (p: XmlElement): string | undefined => child(p, 'Array')?.text;
    return x !== y && [x, y].every((o) => o === 'isIn' || o === 'isNotIn') && arr(a) === arr(b);
  }
  return false;
}

/** What a tree's predicates read: every field, in the order met, and the fields of its set predicates. */
export interface TreeFields {
  readonly fields: string[];
  readonly setFields: string[];
}

/** The fields of a tree's predicates, in one walk. */
export function fieldsOf(root: XmlElement): TreeFields {
  const out = new Set<string>();
  const setFields: string[] = [];
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    const pred = predicateChild(node);
    const field = pred?.attrs.field;
    if (field !== undefined) {
      out.add(field);
      if (pred!.name === 'SimpleSetPredicate') setFields.push(field);
    }
    for (const c of node.children) if (c.name === 'Node') stack.push(c);
  }
  return { fields: [...out], setFields };
}

/** The kind of set values for trees: strings when any of their sets is over a string field, else numbers. */
function setItemsOf(trees: readonly TreeFields[], scope: Scope): 'string' | 'double' {
  return trees.some((t) => t.setFields.some((f) => scope.get(f)?.type === 'string')) ? 'string' : 'double';
}

/** Declares the record type over `fields` and the node type that tests them; the `let` building the record goes to `statements`. */
function declareData(
  fields: readonly FieldInfo[],
  setItems: 'string' | 'double',
  leafType: LeafType,
  ctx: LowerContext,
  statements: Pfa[],
): TreeData {
  // The record's symbol and its type names come from ctx.symbol, the fields' names from sanitize:
  // no document text reaches a name unchecked.
  const symbol = ctx.symbol('treeData');
  const names = new Map(fields.map((f, i) => [f.name, `f${i}_${sanitize(f.name).slice(0, 40)}`]));
  const dataType = ctx.symbol('TreeData');
  const nodeType = ctx.symbol('TreeNode');
  const branch = [nodeType, leafType];
  const dataSchema = {
    type: 'record',
    name: dataType,
    fields: fields.map((f) => ({ name: names.get(f.name)!, type: ['null', f.type as ValueType] })),
  };
  const nodeSchema = {
    type: 'record',
    name: nodeType,
    fields: [
      { name: 'field', type: { type: 'enum', name: ctx.symbol('TreeField'), symbols: [...names.values()] } },
      { name: 'operator', type: 'string' },
      { name: 'value', type: ['double', 'string', { type: 'array', items: setItems }] },
      { name: 'ifMissing', type: ['null', 'boolean'] },
      { name: 'pass', type: branch },
      { name: 'fail', type: branch },
      { name: 'missing', type: branch },
    ],
  };
  statements.push(bind(symbol, { new: Object.fromEntries(fields.map((f) => [names.get(f.name)!, f.symbol])), type: dataSchema }));
  const first = { name: names.get(fields[0]!.name)!, type: fields[0]!.type as 'double' | 'string' };
  return { symbol, dataType, nodeType, nodeSchema, fields: names, setItems, first };
}

/** The test a walk calls: missingTest, with the node's `ifMissing` standing in for an UNKNOWN result. */
export function testFunction(data: TreeData): Fcn {
  const [d, t, r] = [local('d'), local('t'), local('r')];
  return {
    params: [{ [d]: data.dataType }, { [t]: data.nodeType }],
    ret: ['null', 'boolean'],
    do: [{ ifnotnull: { [r]: call('model.tree.missingTest', d, t) }, then: some(r, 'boolean'), else: member(t, 'ifMissing') }],
  };
}

/**
 * `a.map` of the missing-aware walk (testFunction) over a new cell holding `roots`: the array of
 * the trees' leaves, one per tree in order (an ensemble walk's, tree-sum.ts's and tree-average.ts's).
 */
export function walkAll(roots: readonly TreeNodeRecord[], d: TreeData, leafType: LeafType, ctx: LowerContext): Pfa {
  const forest = ctx.symbol('trees');
  ctx.cells[forest] = { type: { type: 'array', items: d.nodeSchema }, init: roots };
  const t = local('t');
  const walk: Fcn = { params: [{ [t]: d.nodeType }], ret: leafType, do: [call('model.tree.missingWalk', d.symbol, t, testFunction(d))] };
  return call('a.map', { cell: forest }, walk);
}

/** An attribute in a key: its length first, so that no two different lists of values make one key. */
const part = (v: string | undefined): string => (v === undefined ? '-' : `${v.length}:${v}`);

/**
 * Everything of a node nodeResult (tree-node.ts) reads: its score and id, and the value,
 * recordCount and probability of each ScoreDistribution. Nodes with one key have one Result
 * (within one tree, whose settings are fixed); the flat-tree spec checks the two stay in step.
 */
export function resultKey(node: XmlElement): string {
  return part(node.attrs.score) + part(node.attrs.id) + distributionKey(node);
}

/** What tree-node.ts `distribution` reads of a node: the value, recordCount and probability of each ScoreDistribution. */
export function distributionKey(node: XmlElement): string {
  let key = '';
  for (const c of node.children)
    if (c.name === 'ScoreDistribution') key += `|${part(c.attrs.value)}${part(c.attrs.recordCount)}${part(c.attrs.probability)}`;
  return key;
}

/** Thrown inside buildFlatTree at the first node the flat form cannot express (never escapes it). */
class Misfit extends Error {}
const misfit = (): never => {
  throw new Misfit();
};

/** The settings of a TreeModel the flat form depends on. */
export function settingsOf(model: XmlElement): { strategy: string; numeric: boolean; float: boolean } {
  return {
    strategy: model.attrs.missingValueStrategy ?? 'none',
    numeric: (model.attrs.functionName ?? 'regression') === 'regression',
    float: floatMath(model),
  };
}

export const FLAT_STRATEGIES = new Set(['none', 'lastPrediction', 'nullPrediction', 'defaultChild']);

/**
 * How the leaves of a tree are written. `own` is the leaf of a node that predicts; `none` the leaf
 * of no prediction where a walk can end; `unreached` the `missing` branch of a node whose
 * `ifMissing` sends UNKNOWN to `pass` or `fail`, which no walk takes.
 */
export interface LeafWriter {
  own(node: XmlElement): Leaf;
  none(): Leaf;
  readonly unreached: Leaf;
}

/**
 * Leaves as indexes into the tree's table of constant Results (`results`, the first one the null
 * Result), so that a leaf predicts everything its Node does: score, distribution and id.
 */
function resultLeaves(model: XmlElement, ctx: LowerContext): LeafWriter & { readonly results: object[] } {
  const { numeric, float } = settingsOf(model);
  const results: object[] = [resultValue(NULL_RESULT, model, ctx)];
  const resultIndex = new Map<string, number>([[JSON.stringify(NULL_RESULT), 0]]);
  /** The leaf of Result `r`, predicted by `from`: the first Node with a Result claims its entry. */
  const leaf = (r: Pfa, from: XmlElement): Leaf => {
    const key = JSON.stringify(r);
    let i = resultIndex.get(key);
    if (i === undefined) resultIndex.set(key, (i = results.push(dataOrigin(from, resultValue(r, from, ctx))) - 1));
    return { int: i };
  };
  // Leaves are shared by many nodes (below): they record no origin, and an error at one is
  // located at the node that holds it.
  const NULL_LEAF: Leaf = { int: 0 };
  // Forests repeat a few distributions over thousands of leaves: a leaf whose XML was seen before
  // takes that Result's index without building and serialising the Result again.
  const byXml = new Map<string, Leaf>();
  return {
    results,
    own: (node) => {
      const key = resultKey(node);
      let i = byXml.get(key);
      if (i === undefined) byXml.set(key, (i = leaf(nodeResult(node, ctx, numeric, float), node)));
      return i;
    },
    none: () => NULL_LEAF,
    unreached: NULL_LEAF,
  };
}

/** Score leaves, and what the tree's leaves were once it is built. */
export interface ScoreLeaves extends LeafWriter {
  /** The largest |score| of the tree's leaves. */
  largest(): number;
  /** Whether some walk of the tree ends without a prediction (at the `missing` leaf). */
  missed(): boolean;
}

/**
 * Leaves as the score of a regression tree, for ensembles that only sum or average the scores
 * (tree-sum.ts): a tree that could end without a finite score does not fit, unless `missing` is
 * given: the score its walks without a prediction end at.
 */
export function scoreLeaves(model: XmlElement, ctx: LowerContext, missing?: number): ScoreLeaves | undefined {
  const { numeric, float } = settingsOf(model);
  if (!numeric) return undefined;
  let largest = 0;
  let missed = false;
  const none = missing === undefined ? misfit : (): Leaf => ((missed = true), { double: missing });
  return {
    own: (node) => {
      if (node.attrs.score === undefined) return misfit();
      const score = floatConstant(ctx.number(node, 'score'), float);
      if (!Number.isFinite(score)) return misfit();
      largest = Math.max(largest, Math.abs(score));
      return { double: score };
    },
    none,
    unreached: { double: 0 },
    largest: () => largest,
    missed: () => missed,
  };
}

/**
 * A tree as the JSON of its root TreeNode, its leaves written by `leaves`; undefined when it does
 * not fit (a writer refuses a leaf by throwing Misfit, as the other tests here do). Fields are
 * read from `d`.
 */
export function buildFlatTree(
  model: XmlElement,
  root: XmlElement,
  scope: Scope,
  d: TreeData,
  leaves: LeafWriter,
  oneLeaf: 'decline' | 'node' = 'decline',
): TreeNodeRecord | undefined {
  const { strategy } = settingsOf(model);
  if (!FLAT_STRATEGIES.has(strategy)) return undefined;
  const nodeTag = d.nodeType;
  const lastPrediction = (model.attrs.noTrueChildStrategy ?? 'returnNullPrediction') === 'returnLastPrediction';
  const { own, none, unreached } = leaves;

  const node = (test: Test, pass: Branch, fail: Branch, missing: Branch, ifMissing: boolean | null): TaggedNode => {
    // A second test that passes to the same place is this node's `fail`; it tests the same field,
    // so it sends a missing value where this one does. `pass` is then written twice: a leaf only,
    // so that nested infinite tests cannot double a subtree again and again.
    if (test.orElse && !isLeaf(pass)) return misfit();
    const record: TreeNodeRecord = {
      field: d.fields.get(test.pmmlField)!,
      operator: test.operator,
      value: test.value,
      ifMissing: ifMissing === null ? null : { boolean: ifMissing },
      pass,
      fail: test.orElse ? node(test.orElse, pass, fail, missing, ifMissing) : fail,
      missing,
    };
    // Assigned rather than written as `{ [nodeTag]: record }`: V8 builds an object literal with a
    // computed key through a slow path, several times the cost of the store on a forest's nodes.
    const tagged: Record<string, TreeNodeRecord> = {};
    tagged[nodeTag] = record;
    return tagged;
  };

  const sub = (n: XmlElement): Branch => {
    const children = childrenNamed(n, 'Node');
    return children.length === 0 ? own(n) : chain(n, children, 0);
  };

  /** Children from `i` on, tested in order. */
  const chain = (n: XmlElement, children: XmlElement[], i: number): Branch => {
    // No prediction is asked of `leaves` only where a walk can end with none: a summed ensemble
    // (scoreLeaves) refuses such a tree, and a last child of True leaves nothing to fall through to.
    const last = lastPrediction ? own(n) : undefined;
    const noTrue = (): Branch => last ?? none();
    if (i === children.length) return noTrue();
    const child = children[i]!;
    const pred = predicateChild(child) ?? misfit();
    if (pred.name === 'True') return sub(child);
    if (pred.name === 'False') return chain(n, children, i + 1);
    const test = testOf(pred, scope, d.setItems) ?? misfit();
    const next = children[i + 1] && predicateChild(children[i + 1]!);
    // The last two children: when the second one's predicate is True or this one's complement,
    // a present value that fails this test always reaches it.
    const lastPair = i === children.length - 2 && next !== undefined && (next.name === 'True' || complements(pred, next));
    const fail = lastPair ? sub(children[i + 1]!) : chain(n, children, i + 1);
    // Where UNKNOWN goes, by the model's missingValueStrategy.
    switch (strategy) {
      case 'none':
        // UNKNOWN is false: the next test, which for a complement is UNKNOWN too.
        return lastPair && next!.name !== 'True'
          ? node(test, sub(child), fail, noTrue(), null)
          : node(test, sub(child), fail, unreached, false);
      case 'lastPrediction':
        return node(test, sub(child), fail, own(n), null);
      case 'nullPrediction':
        return node(test, sub(child), fail, none(), null);
      case 'defaultChild': {
        const k = children.findIndex((c) => c.attrs.id !== undefined && c.attrs.id === n.attrs.defaultChild);
        if (k < 0) return node(test, sub(child), fail, own(n), null);
        if (k === i) return node(test, sub(child), fail, unreached, true);
        if (k === i + 1 && lastPair) return node(test, sub(child), fail, unreached, false);
        return misfit();
      }
      default:
        return misfit();
    }
  };

  let tree: Branch;
  try {
    const rootPred = predicateChild(root) ?? misfit();
    if (rootPred.name === 'True') {
      if (childrenNamed(root, 'Node').length === 0 && oneLeaf === 'decline') return undefined;
      tree = sub(root);
    } else {
      const test = testOf(rootPred, scope, d.setItems) ?? misfit();
      tree = node(test, sub(root), none(), none(), null);
    }
  } catch (e) {
    if (e instanceof Misfit) return undefined;
    throw e;
  }
  // The root is a node (a record), not a tagged branch; a tree that is one leaf keeps the nested
  // form, or (`oneLeaf: 'node'`) becomes a node whose every branch is that leaf.
  if (isLeaf(tree)) return oneLeaf === 'node' ? dataOrigin(model, leafNode(d, tree)) : undefined;
  return dataOrigin(model, tree[nodeTag]!);
}

/**
 * A node that ends at `leaf` whatever its test answers: a tree of one leaf in a forest of nodes
 * (an ensemble's constant tree), walked in one step so that its score is added in its turn.
 */
function leafNode(d: TreeData, leaf: Leaf): TreeNodeRecord {
  const value: TestValue = d.first.type === 'double' ? { double: 0 } : { string: '' };
  return {
    field: d.first.name,
    operator: d.first.type === 'double' ? '<' : '==',
    value,
    ifMissing: null,
    pass: leaf,
    fail: leaf,
    missing: leaf,
  };
}

function isLeaf(b: Branch): b is Leaf {
  return Object.hasOwn(b, 'int') || Object.hasOwn(b, 'double');
}

/** The Avro JSON of a constant Result: nodeResult and NULL_RESULT write each as a `{type, value}` literal. */
function resultValue(r: Pfa, from: XmlElement, ctx: LowerContext): object {
  const value = typeof r === 'object' && r !== null && 'value' in r ? r.value : undefined;
  if (typeof value !== 'object' || value === null) return ctx.fail(from, 'pmml-lowering', 'a tree Result is not a constant record');
  return value;
}

/** The cell of a tree's Results; `{type: "Result"}` is where document.ts writes the Result schema out, at its first use. */
function resultCell(model: XmlElement, results: object[], ctx: LowerContext): string {
  const name = ctx.symbol('treeResults');
  ctx.cells[name] = dataOrigin(model, { type: { type: 'array', items: { type: 'Result' } }, init: results });
  return name;
}

/** The record type for `fields` when every one of them is a number or a string field of `scope`. */
export function dataFor(
  trees: readonly TreeFields[],
  names: readonly string[],
  ctx: LowerContext,
  scope: Scope,
  statements: Pfa[],
  leafType: LeafType = 'int',
): TreeData | undefined {
  const infos = names.map((n) => scope.get(n));
  if (names.length === 0 || infos.some((f) => !f || (f.type !== 'double' && f.type !== 'string'))) return undefined;
  return declareData(infos as FieldInfo[], setItemsOf(trees, scope), leafType, ctx, statements);
}

/**
 * The statements of a TreeModel lowered to a flat tree, the last one its `Result`; undefined when
 * the tree does not fit. A tree an ensemble walk has walked already just looks its Result up.
 */
export function lowerFlatTree(model: XmlElement, root: XmlElement, ctx: LowerContext, scope: Scope): Pfa[] | undefined {
  const done = walked.get(model);
  if (done !== undefined) return origins(model, [done]);
  const statements: Pfa[] = [];
  const tree = fieldsOf(root);
  const d = dataFor([tree], tree.fields, ctx, scope, statements);
  const leaves = resultLeaves(model, ctx);
  const flat = d && buildFlatTree(model, root, scope, d, leaves);
  if (!d || !flat) return undefined;
  const treeCell = ctx.symbol('tree');
  ctx.cells[treeCell] = dataOrigin(model, { type: d.nodeSchema, init: flat });
  const walk = call('model.tree.missingWalk', d.symbol, { cell: treeCell }, testFunction(d));
  statements.push({ cell: resultCell(model, leaves.results, ctx), path: [walk] });
  return origins(model, statements);
}

/**
 * Whether a segment's own MiningSchema leaves the values of `fields` as its parent sees them, or
 * raises an error: then walking the tree on the parent's values gives the segment's answer (the
 * segment's checks still run, in its own statements).
 */
export function seesParentValues(model: XmlElement, fields: readonly string[]): boolean {
  if (model.children.some((c) => c.name === 'LocalTransformations')) return false;
  const schema = child(model, 'MiningSchema');
  const used = new Set(fields);
  for (const mf of schema ? childrenNamed(schema, 'MiningField') : []) {
    if (!used.has(mf.attrs.name ?? '')) continue;
    const invalid = mf.attrs.invalidValueTreatment ?? 'returnInvalid';
    if (
      mf.attrs.missingValueReplacement !== undefined ||
      (mf.attrs.outliers ?? 'asIs') !== 'asIs' ||
      (invalid !== 'returnInvalid' && invalid !== 'asIs')
    )
      return false;
  }
  return true;
}

/**
 * The trees of an ensemble (TreeModels of segments that always run, in `scope`) walked by one
 * `a.map` over a cell of trees, on one record of field values, before the segments: each
 * segment's tree then only looks its Result up (lowerFlatTree). The statements go to `statements`
 * (the ensemble's, recorded at its model by model.ts); each tree in the cell, and its Result cell,
 * is recorded at its own TreeModel. Trees that do not fit, or whose segment changes the values they
 * read, are left to their segment.
 */
export function lowerFlatEnsemble(models: readonly XmlElement[], ctx: LowerContext, scope: Scope, statements: Pfa[]): void {
  // Names an output of any segment defines are not the parent's values any more.
  const outputs = new Set<string>();
  for (const m of models)
    for (const o of childrenNamed(m, 'Output')) for (const f of childrenNamed(o, 'OutputField')) outputs.add(f.attrs.name ?? '');
  const candidates = models
    .filter((m) => m.name === 'TreeModel' && FLAT_STRATEGIES.has(settingsOf(m).strategy))
    .map((m) => ({ model: m, root: childrenNamed(m, 'Node')[0], read: { fields: [], setFields: [] } as TreeFields }))
    .filter(
      (c) =>
        c.root !== undefined &&
        (c.read = fieldsOf(c.root)).fields.length > 0 &&
        c.read.fields.every((f) => !outputs.has(f)) &&
        seesParentValues(c.model, c.read.fields),
    );
  if (candidates.length < 2) return;
  const lets: Pfa[] = [];
  const d = dataFor(
    candidates.map((c) => c.read),
    [...new Set(candidates.flatMap((c) => c.read.fields))],
    ctx,
    scope,
    lets,
  );
  if (!d) return;
  const trees: TreeNodeRecord[] = [];
  const lookups: { model: XmlElement; cell: string; index: number }[] = [];
  for (const c of candidates) {
    const leaves = resultLeaves(c.model, ctx);
    const flat = buildFlatTree(c.model, c.root!, scope, d, leaves);
    if (!flat) continue;
    lookups.push({ model: c.model, cell: resultCell(c.model, leaves.results, ctx), index: trees.push(flat) - 1 });
  }
  if (trees.length < 2) return;
  const walk = walkAll(trees, d, 'int', ctx);
  const leaves = ctx.symbol('leaves');
  statements.push(...lets, bind(leaves, walk));
  for (const l of lookups) walked.set(l.model, { cell: l.cell, path: [item(leaves, l.index)] });
}
