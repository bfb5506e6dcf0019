/**
 * Trees with a missing branch, walked over flat typed arrays: `model.tree.missingWalk` over a
 * constant tree whose test is `model.tree.missingTest` with the node's own `ifMissing` standing in
 * for an UNKNOWN result (what the PMML lowering writes, src/pmml/lower/flat-tree.ts):
 *
 *   fcn(d, t) -> union<null, boolean>: ifnotnull (r: model.tree.missingTest(d, t)) then r else t.ifMissing
 *
 * `ifMissing` true goes to `pass`, false to `fail` and null to `missing`. Datum fields are numbers
 * or strings, each possibly null. Numbers are compared as in missingTest; a value some set tests is
 * turned into a category number once per record, and string `==`/`!=` and every `in`/`notIn`
 * become a lookup in a table of sets built at compile time. Any other node keeps the generic walk, so that errors
 * (bad operators, mismatched value types) are raised exactly as in model.tree.
 */
import { accepts } from '../../../avro/relations.js';
import { T, isNumeric, type AvroType, type RecordType } from '../../../avro/types.js';
import { nodeTest } from '../../lib/model/tree.js';
import type { Arg, Expr } from '../../ast.js';
import { compileKernel, field, isIdentifier } from '../../../codegen.js';
import type { Convert } from '../../../avro/convert.js';
import type { SpecializeContext } from './call.js';
import type { Reduce } from './tree.js';

const NUMERIC_OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
/** Operator code of a set-membership test (numeric operators are their index in NUMERIC_OPS). */
const MEMBER = NUMERIC_OPS.length;

/** Where a test on a missing field goes, as an offset from the `fail` slot. */
const FAIL = 0;
const PASS = 1;
const MISSING = 2;

export interface MissingSplit {
  readonly field: string;
  /** A numeric comparison, or membership in a set of strings or numbers (negated for `!=` and `notIn`). */
  readonly test: { readonly op: number; readonly value: number } | { readonly set: readonly (string | number)[]; readonly negate: boolean };
  readonly pass: Branch;
  readonly fail: Branch;
  readonly missing: Branch;
  readonly ifMissing: number;
}
type Branch = MissingSplit | { readonly leaf: unknown };
const isSplit = (b: Branch): b is MissingSplit => 'test' in b;

function withoutNull(t: AvroType): AvroType | undefined {
  if (t.kind !== 'union') return t;
  const rest = t.types.filter((b) => b.kind !== 'null');
  return rest.length === 1 ? rest[0] : undefined;
}

/**
 * Whether `a` is the test above: an inline function of (datum, node) whose body is exactly
 * `ifnotnull r = missingTest(datum, node) then r (or r upcast) else node.ifMissing`.
 */
export function isMissingFallbackTest(a: Arg, ctx: SpecializeContext): boolean {
  if (a.k !== 'fcndef' || a.params.length !== 2 || a.body.length !== 1) return false;
  const params = ctx.info(a).slots!;
  const isParam = (x: Expr, i: number): boolean => x.k === 'ref' && ctx.info(x).slot === params[i];
  const body = a.body[0]!;
  if (body.k !== 'ifnotnull' || body.vars.length !== 1 || body.then.length !== 1 || body.else?.length !== 1) return false;
  const [name, test] = body.vars[0]!;
  const call = test.k === 'call' ? ctx.info(test).call : undefined;
  if (test.k !== 'call' || call?.kind !== 'lib' || call.fn.name !== 'model.tree.missingTest' || test.args.length !== 2) return false;
  if (!test.args.every((x, i) => x.k !== 'fcndef' && x.k !== 'fcnref' && isParam(x, i))) return false;
  let then = body.then[0]!;
  if (then.k === 'upcast') then = then.expr;
  if (then.k !== 'ref' || then.name !== name) return false;
  const other = body.else[0]!;
  if (other.k !== 'attr' || !isParam(other.expr, 1) || other.path.length !== 1) return false;
  const step = other.path[0]!;
  const key = step.kind === 'field' ? step.name : step.expr.k === 'literal' ? step.expr.value : undefined;
  return key === 'ifMissing';
}

/** Reads a constant tree; undefined when some node is not one the kernel handles. */
export function readMissingTree(root: unknown, nodeType: RecordType, datumType: RecordType): MissingSplit | undefined {
  const valueType = nodeType.fields.find((f) => f.name === 'value')?.type;
  if (!valueType) return undefined;
  const fieldKinds = new Map<string, 'number' | 'string'>();
  for (const f of datumType.fields) {
    const t = withoutNull(f.type);
    if (!isIdentifier(f.name) || !t) continue;
    // The same conditions under which missingTest compares rather than raising an error.
    if ((t.kind === 'int' || t.kind === 'float' || t.kind === 'double') && (accepts(valueType, t) || isNumeric(valueType))) fieldKinds.set(f.name, 'number');
    if (t.kind === 'string' && accepts(valueType, T.string)) fieldKinds.set(f.name, 'string');
  }
  const branches = valueType.kind === 'union' ? valueType.types : [valueType];
  const stringSets = branches.some((b) => b.kind === 'array' && b.items.kind === 'string');
  // missingTest compares a number with the items of an array of doubles (a field of any numeric type).
  const numberSets = branches.some((b) => b.kind === 'array' && b.items.kind === 'double');
  const isNode = { pass: nodeTest(nodeType, 'pass'), fail: nodeTest(nodeType, 'fail'), missing: nodeTest(nodeType, 'missing') };
  const read = (node: Record<string, unknown>): MissingSplit | undefined => {
    const { field: name, operator: op, value, ifMissing } = node;
    const kind = typeof name === 'string' ? fieldKinds.get(name) : undefined;
    if (!kind || typeof op !== 'string' || !(ifMissing === null || typeof ifMissing === 'boolean')) return undefined;
    let test: MissingSplit['test'];
    if (kind === 'number' && (op === 'in' || op === 'notIn')) {
      if (!numberSets || !Array.isArray(value) || !value.every((v) => typeof v === 'number')) return undefined;
      test = { set: value as number[], negate: op === 'notIn' };
    } else if (kind === 'number') {
      const i = NUMERIC_OPS.indexOf(op as (typeof NUMERIC_OPS)[number]);
      if (i < 0 || typeof value !== 'number') return undefined;
      test = { op: i, value };
    } else if ((op === '==' || op === '!=') && typeof value === 'string') test = { set: [value], negate: op === '!=' };
    else if ((op === 'in' || op === 'notIn') && stringSets && Array.isArray(value) && value.every((v) => typeof v === 'string')) test = { set: value as string[], negate: op === 'notIn' };
    else return undefined;
    const branch = (b: 'pass' | 'fail' | 'missing'): Branch | undefined => (isNode[b](node[b]) ? read(node[b] as Record<string, unknown>) : { leaf: node[b] });
    const [pass, fail, missing] = [branch('pass'), branch('fail'), branch('missing')];
    if (!pass || !fail || !missing) return undefined;
    return { field: name as string, test, pass, fail, missing, ifMissing: ifMissing === null ? MISSING : ifMissing ? PASS : FAIL };
  };
  return read(root as Record<string, unknown>);
}


/** Int32 slots of a node: the threshold (or set row, or leaf) as a double, field, operator, fail, pass, missing, and where a missing field goes. */
const NODE = 8;

/** Trees walked side by side, so that their loads overlap (as in tree.ts's flat walk). */
const LANES = 4;

/**
 * Trees in one typed array, walked LANES at a time in lockstep (`fail`, `pass` and `missing` in adjacent
 * slots, so the next node is `I[b + 4 + k]`). A leaf's branches are itself, so every walk of a tree
 * takes as many steps as it is deep. Field values are copied once per record into X (numbers), K
 * (category numbers of the values sets name, for fields sets test) and N (1 where the field is
 * missing). A set test reads row `v` of the membership table M at the category's column; the last
 * column is every value no set names. A missing field's stale X and K are never read: its tests
 * take the ifMissing branch.
 * (A leaf's own step may read outside M, hence `| 0`: any of its branches is itself.)
 */
export function flatMissingForest(roots: readonly MissingSplit[], datumType: RecordType, convert: Convert | undefined, reduce: Reduce): (datum: unknown) => unknown {
  const fields: string[] = [];
  // Category numbers of the strings and numbers sets name (Map keys: "1" and 1 are apart).
  const categories = new Map<string | number, number>();
  /** Fields some set test reads: their category numbers go to K. */
  const setFields = new Set<number>();
  const sets: { set: readonly (string | number)[]; negate: boolean }[] = [];
  const nodes: { value: number; field: number; op: number; fail: number; pass: number; missing: number; ifMissing: number }[] = [];
  const leaves = new Map<number, unknown>();
  const add = (br: Branch): { node: number; depth: number } => {
    const k = nodes.length;
    if (!isSplit(br)) {
      const leaf = convert ? convert(br.leaf) : br.leaf;
      nodes.push({ value: typeof leaf === 'number' ? leaf : NaN, field: 0, op: 0, fail: k, pass: k, missing: k, ifMissing: 0 });
      leaves.set(k, leaf);
      return { node: k, depth: 0 };
    }
    let f = fields.indexOf(br.field);
    if (f < 0) f = fields.push(br.field) - 1;
    let op: number;
    let value: number;
    if ('op' in br.test) ({ op, value } = br.test);
    else {
      for (const s of br.test.set) if (!categories.has(s)) categories.set(s, categories.size);
      setFields.add(f);
      op = MEMBER;
      value = sets.push(br.test) - 1; // a row number for now: rows are laid out once every category is known
    }
    const node = { value, field: f, op, fail: 0, pass: 0, missing: 0, ifMissing: br.ifMissing };
    nodes.push(node);
    const pass = add(br.pass);
    const fail = add(br.fail);
    const missing = add(br.missing);
    Object.assign(node, { pass: pass.node, fail: fail.node, missing: missing.node });
    return { node: k, depth: 1 + Math.max(pass.depth, fail.depth, missing.depth) };
  };
  const trees = roots.map(add);
  const width = categories.size + 1;
  const M = new Uint8Array(Math.max(1, sets.length * width));
  sets.forEach((s, r) => {
    const members = new Set(s.set.map((x) => categories.get(x)!));
    for (let c = 0; c < width; c++) M[r * width + c] = +(members.has(c) !== s.negate);
  });
  const buffer = new ArrayBuffer(nodes.length * NODE * 4);
  const I = new Int32Array(buffer);
  const V = new Float64Array(buffer);
  nodes.forEach((n, k) => {
    V[(k * NODE) / 2] = n.op === MEMBER && !leaves.has(k) ? n.value * width : n.value;
    I.set([n.field, n.op, n.fail * NODE, n.pass * NODE, n.missing * NODE, n.ifMissing], k * NODE + 2);
  });
  const usedOps = new Set(nodes.filter((_, k) => !leaves.has(k)).map((n) => n.op));
  const single = usedOps.size === 1 ? [...usedOps][0]! : undefined;
  // Mixed operators: a numeric comparison is looked up in OPT by operator and by how x and v
  // compare (1 less, 2 equal, 4 greater, 0 unordered: NaN), which spares a chain of branches.
  const bit = (x: string, v: string, o: string): string =>
    single === undefined
      ? `(${o} === ${MEMBER} ? M[${v} + K[f]] | 0 : OPT[(${o} << 3) | (${x} < ${v}) | ((${x} == ${v}) << 1) | ((${x} > ${v}) << 2)])`
      : single === MEMBER
        ? `(M[${v} + K[f]] | 0)`
        : `+(${x} ${NUMERIC_OPS[single]} ${v})`;
  const OPT = new Uint8Array(NUMERIC_OPS.length * 8);
  NUMERIC_OPS.forEach((op, o) => {
    for (const [code, c] of [[0, NaN], [1, -1], [2, 0], [4, 1]] as const) OPT[o * 8 + code] = +{ '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0, '==': c === 0, '!=': !(c === 0) }[op];
  });
  const step = (b: string): string => `{ const f = I[${b} + 2]; ${b} = I[${b} + 4 + (N[f] === 1 ? I[${b} + 7] : ${bit('X[f]', `V[${b} >> 1]`, `I[${b} + 3]`)})]; }`;
  const stringField = new Set(datumType.fields.filter((f) => withoutNull(f.type)?.kind === 'string').map((f) => f.name));
  const copy = fields
    .map((name, i) => {
      const code = setFields.has(i) ? ` K[${i}] = S.get(v) ?? ${width - 1};` : '';
      const present = stringField.has(name) ? code : ` X[${i}] = v;${code}`;
      return `v = d${field(name)}; if (v === null) { N[${i}] = 1; } else { N[${i}] = 0;${present} }`;
    })
    .join('\n');
  const numeric = [...leaves.values()].every((v) => typeof v === 'number');
  const leaf = (b: string): string => (numeric ? `V[${b} >> 1]` : `L.get(${b})`);
  const out = { one: 'let s;', array: 'const out = new Array(T);', sum: 'let s = 0;', mean: 'let s = 0;' }[reduce];
  const use = (b: string, t: string): string => ({ one: `s = ${leaf(b)};`, array: `out[${t}] = ${leaf(b)};`, sum: `s += ${leaf(b)};`, mean: `s += ${leaf(b)};` })[reduce];
  const result = { one: 's', array: 'out', sum: 's', mean: 's / T' }[reduce];
  const lanes = Array.from({ length: LANES }, (_, i) => `b${i}`);
  const groupDepth = [];
  for (let g = 0; g < trees.length; g += LANES) groupDepth.push(Math.max(...trees.slice(g, g + LANES).map((t) => t.depth)));
  const body = [
    'let v;',
    copy,
    out,
    'let t = 0;',
    `for (; t + ${LANES} <= T; t += ${LANES}) {`,
    `  let ${lanes.map((b, i) => `${b} = R[t + ${i}]`).join(', ')};`,
    `  for (let k = G[t / ${LANES}]; k > 0; k--) { ${lanes.map(step).join(' ')} }`,
    `  ${lanes.map((b, i) => use(b, `t + ${i}`)).join(' ')}`,
    '}',
    `for (; t < T; t++) { let b = R[t]; for (let k = D[t]; k > 0; k--) ${step('b')} ${use('b', 't')} }`,
    `return ${result};`,
  ].join('\n');
  return compileKernel<(datum: unknown) => unknown>({
    params: ['d'],
    body,
    bound: {
      X: new Float64Array(fields.length),
      K: new Float64Array(fields.length),
      N: new Uint8Array(fields.length),
      S: categories,
      M,
      OPT,
      G: Int32Array.from(groupDepth),
      I,
      V,
      L: numeric ? undefined : new Map([...leaves].map(([k, v]) => [k * NODE, v])),
      R: Int32Array.from(trees, (t) => t.node * NODE),
      D: Int32Array.from(trees, (t) => t.depth),
      T: trees.length,
    },
  });
}
