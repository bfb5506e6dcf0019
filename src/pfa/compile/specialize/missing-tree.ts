/**
 * Trees with a missing branch, walked over flat typed arrays: a missing-aware walk
 * (`model.tree.missingWalk`, declared `treeWalk` `missing`) over a constant tree whose test is the
 * missing-aware test (`model.tree.missingTest`, declared `treeTest` `missing`) with the node's own `ifMissing` standing in
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
import { code, compileKernel, join, property, Scope, type Code as Js, type Name } from '../../../codegen/index.js';
import type { Convert } from '../../../avro/convert.js';
import { declOf } from '../../kernel/recognise.js';
import type { SpecializeContext } from './call.js';
import { Locals, walkForest, type Reduce } from './flat-walk.js';

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
  const decl = test.k === 'call' ? declOf(ctx.info(test).call) : undefined;
  if (test.k !== 'call' || decl?.kind !== 'treeTest' || decl.test !== 'missing' || test.args.length !== 2) return false;
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

/**
 * A reader of constant trees of one node and datum type (undefined for a tree with a node the
 * kernel does not handle). What depends only on the types is worked out once, not per tree.
 */
export function missingTreeReader(nodeType: RecordType, datumType: RecordType): (root: unknown) => MissingSplit | undefined {
  const valueType = nodeType.fields.find((f) => f.name === 'value')?.type;
  if (!valueType) return () => undefined;
  const fieldKinds = new Map<string, 'number' | 'string'>();
  for (const f of datumType.fields) {
    const t = withoutNull(f.type);
    if (!t) continue;
    // The same conditions under which missingTest compares rather than raising an error.
    if ((t.kind === 'int' || t.kind === 'float' || t.kind === 'double') && (accepts(valueType, t) || isNumeric(valueType)))
      fieldKinds.set(f.name, 'number');
    if (t.kind === 'string' && accepts(valueType, T.string)) fieldKinds.set(f.name, 'string');
  }
  const branches = valueType.kind === 'union' ? valueType.types : [valueType];
  const stringSets = branches.some((b) => b.kind === 'array' && b.items.kind === 'string');
  // missingTest compares a number with the items of an array of doubles (a field of any numeric type).
  const numberSets = branches.some((b) => b.kind === 'array' && b.items.kind === 'double');
  const isPass = nodeTest(nodeType, 'pass');
  const isFail = nodeTest(nodeType, 'fail');
  const isMissing = nodeTest(nodeType, 'missing');
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
    else if ((op === 'in' || op === 'notIn') && stringSets && Array.isArray(value) && value.every((v) => typeof v === 'string'))
      test = { set: value as string[], negate: op === 'notIn' };
    else return undefined;
    const pass = isPass(node.pass) ? read(node.pass as Record<string, unknown>) : { leaf: node.pass };
    const fail = pass && (isFail(node.fail) ? read(node.fail as Record<string, unknown>) : { leaf: node.fail });
    const missing = fail && (isMissing(node.missing) ? read(node.missing as Record<string, unknown>) : { leaf: node.missing });
    if (!pass || !fail || !missing) return undefined;
    return { field: name as string, test, pass, fail, missing, ifMissing: ifMissing === null ? MISSING : ifMissing ? PASS : FAIL };
  };
  return (root) => read(root as Record<string, unknown>);
}

/** Int32 slots of a node: the threshold (or set row, or leaf) as a double, field, operator, fail, pass, missing, and where a missing field goes. */
const NODE = 8;

/** Trees walked side by side, so that their loads overlap (as in tree.ts's flat walk). */
const LANES = 4;

/** Operators as code, by their number. */
const JS_OPS: readonly Js[] = [code`<`, code`<=`, code`>`, code`>=`, code`==`, code`!=`];

/** Every category a set test names, numbered in the order first met, and the number of nodes. */
function census(roots: readonly MissingSplit[]): { categories: Map<string | number, number>; nodes: number } {
  // Map keys keep "1" and 1 apart.
  const categories = new Map<string | number, number>();
  let nodes = 0;
  const visit = (b: Branch): void => {
    nodes++;
    if (!isSplit(b)) return;
    if ('set' in b.test) for (const c of b.test.set) if (!categories.has(c)) categories.set(c, categories.size);
    visit(b.pass);
    visit(b.fail);
    visit(b.missing);
  };
  roots.forEach(visit);
  return { categories, nodes };
}

/**
 * Trees in one typed array, walked LANES at a time in lockstep (`fail`, `pass` and `missing` in adjacent
 * slots, so the next node is `I[b + 4 + k]`). A leaf's branches are itself, so every walk of a tree
 * takes as many steps as it is deep (flat-walk.ts). Field values are copied once per record into X
 * (numbers), K (category numbers of the values sets name, for fields sets test) and N (1 where the
 * field is missing). A set test reads row `v` of the membership table M at the category's column;
 * the last column is every value no set names. A missing field's stale X and K are never read: its
 * tests take the ifMissing branch.
 * (A leaf's own step may read outside M, hence `| 0`: any of its branches is itself.)
 */
export function flatMissingForest(
  roots: readonly MissingSplit[],
  datumType: RecordType,
  convert: Convert | undefined,
  reduce: Reduce,
): (datum: unknown) => unknown {
  const { categories, nodes } = census(roots);
  const width = categories.size + 1;
  const buffer = new ArrayBuffer(nodes * NODE * 4);
  const I = new Int32Array(buffer);
  const V = new Float64Array(buffer);
  const fields = new Map<string, number>();
  /** Fields some set test reads: their category numbers go to K. */
  const setFields = new Set<number>();
  const sets: { readonly set: readonly (string | number)[]; readonly negate: boolean }[] = [];
  const leaves: [number, unknown][] = [];
  let numeric = true;
  /** Bit i set when some split uses operator i (MEMBER included). */
  let usedOps = 0;
  let next = 0;
  // Lays out the subtree at the next free node, in preorder; returns its depth.
  const lay = (br: Branch): number => {
    const at = next++ * NODE;
    if (!isSplit(br)) {
      const leaf = convert ? convert(br.leaf) : br.leaf;
      if (typeof leaf !== 'number') numeric = false;
      V[at >> 1] = typeof leaf === 'number' ? leaf : NaN;
      I[at + 4] = I[at + 5] = I[at + 6] = at;
      leaves.push([at, leaf]);
      return 0;
    }
    let f = fields.get(br.field);
    if (f === undefined) fields.set(br.field, (f = fields.size));
    let op: number;
    if ('op' in br.test) {
      op = br.test.op;
      V[at >> 1] = br.test.value;
    } else {
      setFields.add(f);
      op = MEMBER;
      V[at >> 1] = (sets.push(br.test) - 1) * width;
    }
    usedOps |= 1 << op;
    I[at + 2] = f;
    I[at + 3] = op;
    I[at + 7] = br.ifMissing;
    I[at + 5] = next * NODE;
    const pass = lay(br.pass);
    I[at + 4] = next * NODE;
    const fail = lay(br.fail);
    I[at + 6] = next * NODE;
    const missing = lay(br.missing);
    return 1 + Math.max(pass, fail, missing);
  };
  const rootSlots = new Int32Array(roots.length);
  const depths = new Int32Array(roots.length);
  roots.forEach((r, t) => {
    rootSlots[t] = next * NODE;
    depths[t] = lay(r);
  });
  const M = new Uint8Array(Math.max(1, sets.length * width));
  // A row is the answer for every value no set names, then each member's column is the other one
  // (a native fill and a write per member, not a lookup per column: rows are as wide as there are
  // categories in the whole ensemble).
  sets.forEach((s, r) => {
    M.fill(s.negate ? 1 : 0, r * width, (r + 1) * width);
    for (const x of s.set) M[r * width + categories.get(x)!] = s.negate ? 0 : 1;
  });
  // Mixed operators: a numeric comparison is looked up in OPT by operator and by how x and v
  // compare (1 less, 2 equal, 4 greater, 0 unordered: NaN), which spares a chain of branches.
  const OPT = new Uint8Array(NUMERIC_OPS.length * 8);
  NUMERIC_OPS.forEach((op, o) => {
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
    locals.bind('X', new Float64Array(fields.size)),
    locals.bind('K', new Float64Array(fields.size)),
    locals.bind('N', new Uint8Array(fields.size)),
  ];
  const [S, Mb] = [locals.bind('S', categories), locals.bind('M', M)];
  const L = numeric ? undefined : locals.bind('L', new Map(leaves));
  const [d, v, f] = [scope.name('d'), scope.name('v'), scope.name('f')];
  // One operator (splits always use some) is inlined.
  const single = usedOps !== 0 && (usedOps & (usedOps - 1)) === 0 ? 31 - Math.clz32(usedOps) : undefined;
  const OPTb = single === undefined ? locals.bind('OPT', OPT) : undefined;
  const bit = (x: Js, t: Js, o: Js): Js => {
    if (single === MEMBER) return code`(${Mb}[${t} + ${K}[${f}]] | 0)`;
    if (single !== undefined) return code`+(${x} ${JS_OPS[single]!} ${t})`;
    return code`(${o} === ${MEMBER} ? ${Mb}[${t} + ${K}[${f}]] | 0 : ${OPTb!}[(${o} << 3) | (${x} < ${t}) | ((${x} == ${t}) << 1) | ((${x} > ${t}) << 2)])`;
  };
  const step = (b: Name): Js =>
    code`{ const ${f} = ${Ib}[${b} + 2]; ${b} = ${Ib}[${b} + 4 + (${N}[${f}] === 1 ? ${Ib}[${b} + 7] : ${bit(code`${X}[${f}]`, code`${Vb}[${b} >> 1]`, code`${Ib}[${b} + 3]`)})]; }`;
  const stringField = new Set(datumType.fields.filter((fd) => withoutNull(fd.type)?.kind === 'string').map((fd) => fd.name));
  const copy = [...fields.keys()].map((name, i) => {
    const category = setFields.has(i) ? code` ${K}[${i}] = ${S}.get(${v}) ?? ${width - 1};` : code``;
    const present = stringField.has(name) ? category : code` ${X}[${i}] = ${v};${category}`;
    return code`${v} = ${property(d, name)}; if (${v} === null) { ${N}[${i}] = 1; } else { ${N}[${i}] = 0;${present} }`;
  });
  const walk = walkForest(scope, locals, {
    lanes: LANES,
    roots: rootSlots,
    depths,
    reduce,
    step,
    leaf: (b) => (L ? code`${L}.get(${b})` : code`${Vb}[${b} >> 1]`),
  });
  return compileKernel<(datum: unknown) => unknown>({
    scope,
    params: [d],
    body: code`${locals.declarations}\nlet ${v};\n${join(copy, code`\n`)}\n${walk}`,
  });
}
