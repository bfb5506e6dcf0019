/**
 * PFA namespace `model.tree`: predicate tests on one field of a datum record and walks through
 * trees of such tests.
 *
 * A comparison record names a field of the datum (`field`, an enum whose symbols are the datum's
 * field names), an `operator` and a `value`. Whether the field's type and the value's type can be
 * compared is known at compile time, field by field, so `make` builds one small tester per datum
 * field and the call only picks it by the symbol. As in the reference engine, a type mismatch is
 * reported when the comparison is evaluated (not when the document is checked), because only the
 * field chosen at run time has to fit.
 *
 * A tree node's `pass`/`fail`/`missing` branch holds either another node (record T) or a leaf score
 * (S). Unions are untagged at run time, so the walk tells nodes from leaves with a test decided at
 * compile time (see `nodeTest`).
 */
import { defineLibrary, type CallSite } from '../define.js';
import { runtimeError } from '../../../errors.js';
import { comparator, equality } from '../../../avro/compare.js';
import { converter } from '../../../avro/convert.js';
import { accepts } from '../../../avro/relations.js';
import { T, isNumeric, type AvroType, type RecordType } from '../../../avro/types.js';
import { isRecordValue, resolveBranch } from '../../../avro/values.js';

type Rec = Record<string, unknown>;
/** The outcome of one comparison: `null` means "unknown" (a missing field, in the missing-aware tests). */
type Outcome = boolean | null;
/** Compares one datum field with a comparison's `value` under `operator`. */
type FieldTester = (fieldValue: unknown, operator: string, value: unknown) => Outcome;

interface TestOptions {
  readonly fcnName: string;
  readonly badOperator: number;
  readonly badValueType: number;
  /**
   * `missingTest` semantics: a null field yields `null` instead of being compared, the field's
   * type is taken without its null branch, and "isMissing"/"notMissing" are not operators.
   */
  readonly nullIsUnknown: boolean;
}

/** The union without its null branch (the type itself when there is nothing to drop). */
function withoutNull(t: AvroType): AvroType {
  if (t.kind !== 'union') return t;
  const rest = t.types.filter((b) => b.kind !== 'null');
  return rest.length === 1 ? rest[0]! : T.union(rest);
}

function fieldType(rec: RecordType, name: string): AvroType {
  const f = rec.fields.find((x) => x.name === name);
  if (!f) throw new Error(`record ${rec.fullName} has no field ${name}`);
  return f.type;
}

/** Applies an ordering operator to a three-way comparison result; `undefined` for an unknown operator. */
function ordered(operator: string, c: number): boolean | undefined {
  switch (operator) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    default:
      return undefined;
  }
}

/**
 * Numbers of any numeric types (a `long` field is a bigint, a `double` value a number) compared
 * exactly, with IEEE semantics: every comparison with NaN is false except `!=`. Exported for the
 * tree kernels' baseline (src/pfa/kernel/lower-tree-closure.ts), which compares as the tests do.
 */
export function numeric(operator: string, x: number | bigint, y: number | bigint): boolean | undefined {
  switch (operator) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '==':
      // Loose equality is the exact comparison between a bigint and a number.
      // biome-ignore lint/suspicious/noDoubleEquals: exact between a bigint and a number, where === is false
      return x == y;
    case '!=':
      // biome-ignore lint/suspicious/noDoubleEquals: exact between a bigint and a number, where !== is true
      return x != y;
    default:
      return undefined;
  }
}

function isNumber(v: unknown): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** Membership of the field value in an array `value` ("in"/"notIn"), or undefined when the types cannot match. */
function membership(ft: AvroType, valueType: AvroType): ((fv: unknown, value: unknown) => boolean) | undefined {
  const arrays = valueType.kind === 'union' ? valueType.types : [valueType];
  const target = arrays.find((b) => b.kind === 'array' && accepts(b.items, ft));
  if (target?.kind !== 'array') return undefined;
  const eq = equality(target.items);
  const conv = converter(ft, target.items);
  return (fv, value) => {
    const x = conv ? conv(fv) : fv;
    return Array.isArray(value) && value.some((item) => eq(x, item));
  };
}

/**
 * The tester for one datum field of type `declared` against values of type `valueType`. Errors are
 * raised in the reference engine's order: the special operators never fail, then the value type
 * (code `badValueType`), then a missing field, then the operator (code `badOperator`).
 */
function fieldTester(declared: AvroType, valueType: AvroType, o: TestOptions): FieldTester {
  const ft = o.nullIsUnknown ? withoutNull(declared) : declared;
  const badType = (): never => {
    throw runtimeError(o.badValueType, 'bad value type', o.fcnName);
  };
  const badOperator = (): never => {
    throw runtimeError(o.badOperator, 'invalid comparison operator', o.fcnName);
  };
  const contains = membership(ft, valueType);
  const comparable = accepts(valueType, ft) || (isNumeric(valueType) && isNumeric(ft));
  const numericField = isNumeric(ft);
  const cmp = comparable && !numericField ? comparator(valueType) : undefined;
  const conv = comparable && !numericField ? converter(ft, valueType) : undefined;

  const compare = (fv: unknown, operator: string, value: unknown): Outcome => {
    if (!comparable) return badType();
    if (o.nullIsUnknown && fv === null) return null;
    let result: boolean | undefined;
    if (numericField) {
      // The value may come from a union holding non-numbers (such as null): only numbers compare.
      if (!isNumber(value)) return badType();
      result = numeric(operator, fv as number | bigint, value);
    } else {
      result = ordered(operator, cmp!(conv ? conv(fv) : fv, value));
    }
    return result ?? badOperator();
  };

  return (fv, operator, value) => {
    switch (operator) {
      case 'alwaysTrue':
        return true;
      case 'alwaysFalse':
        return false;
      case 'isMissing':
        return o.nullIsUnknown ? compare(fv, operator, value) : fv === null;
      case 'notMissing':
        return o.nullIsUnknown ? compare(fv, operator, value) : fv !== null;
      case 'in':
      case 'notIn': {
        if (!contains) return badType();
        if (o.nullIsUnknown && fv === null) return null;
        return contains(fv, value) === (operator === 'in');
      }
      default:
        return compare(fv, operator, value);
    }
  };
}

/**
 * Builds `(datum, comparison) => outcome` for a datum record type and a comparison record type
 * with `field`, `operator` and `value`.
 */
function comparisonTest(datumType: RecordType, comparisonType: RecordType, o: TestOptions): (datum: Rec, comparison: Rec) => Outcome {
  const valueType = fieldType(comparisonType, 'value');
  const byField = new Map<string, FieldTester>(datumType.fields.map((f) => [f.name, fieldTester(f.type, valueType, o)]));
  return (datum, comparison) => {
    const field = comparison.field as string;
    return byField.get(field)!(datum[field], comparison.operator as string, comparison.value);
  };
}

/**
 * Whether a branch value of `field` in tree node type `node` is another node (rather than a leaf).
 * When no leaf type is a record, any record value is a node: a cheap shape test. Otherwise the
 * union branch has to be resolved.
 */
export function nodeTest(node: RecordType, field: string): (v: unknown) => boolean {
  const t = fieldType(node, field);
  if (t.kind !== 'union') return t.kind === 'record' && t.fullName === node.fullName ? () => true : () => false;
  const isNode = t.types.map((b) => b.kind === 'record' && b.fullName === node.fullName);
  const otherRecords = t.types.some((b, i) => b.kind === 'record' && !isNode[i]);
  if (!otherRecords) return isNode.includes(true) ? isRecordValue : () => false;
  return (v) => isNode[resolveBranch(t, v)] === true;
}

/** Names the branch to follow from `node`: "pass", "fail" or "missing". */
type Chooser<F> = (datum: Rec, node: Rec, test: F) => string;

/**
 * A walk from the root node, following the branch `choose` names at each node until reaching a
 * leaf. `branches` lists the node fields `choose` may name.
 */
function walker<F>(site: CallSite, branches: readonly string[], choose: Chooser<F>): (datum: Rec, root: Rec, test: F) => unknown {
  const nodeType = site.paramTypes[1] as RecordType;
  const isNode = new Map(branches.map((b) => [b, nodeTest(nodeType, b)]));
  return (datum, root, test) => {
    let node = root;
    for (;;) {
      const branch = choose(datum, node, test);
      const next = node[branch];
      if (!isNode.get(branch)!(next)) return next;
      node = next as Rec;
    }
  };
}

type BooleanTest = (datum: Rec, node: Rec) => boolean;
type MissingTest = (datum: Rec, node: Rec) => Outcome;

const passOrFail: Chooser<BooleanTest> = (datum, node, test) => (test(datum, node) ? 'pass' : 'fail');

const passFailOrMissing: Chooser<MissingTest> = (datum, node, test) => {
  const result = test(datum, node);
  return result === null ? 'missing' : result ? 'pass' : 'fail';
};

const simpleTestOptions = (fcnName: string, base: number): TestOptions => ({
  fcnName,
  badOperator: base,
  badValueType: base + 1,
  nullIsUnknown: false,
});

export default defineLibrary('model.tree', {
  simpleTest: {
    sig: '(datum: record D, comparison: record T {field: enum F of D, operator: string, value: any V}) -> boolean',
    errors: [32000, 32001],
    kernel: { kind: 'treeTest', sigs: [0], test: 'simple' },
    make: (site) =>
      comparisonTest(site.paramTypes[0] as RecordType, site.paramTypes[1] as RecordType, simpleTestOptions('model.tree.simpleTest', 32000)),
  },

  missingTest: {
    sig: '(datum: record D, comparison: record T {field: enum F of D, operator: string, value: any V}) -> union<null, boolean>',
    errors: [32010, 32011],
    kernel: { kind: 'treeTest', sigs: [0], test: 'missing' },
    make: (site) =>
      comparisonTest(site.paramTypes[0] as RecordType, site.paramTypes[1] as RecordType, {
        fcnName: 'model.tree.missingTest',
        badOperator: 32010,
        badValueType: 32011,
        nullIsUnknown: true,
      }),
  },

  compoundTest: {
    sig: '(datum: record D, operator: string, comparisons: array<record T>, test: fn(D, T) -> boolean) -> boolean',
    errors: [32020],
    // "and" and "or" stop at the first result that decides; "xor" needs every test.
    fn: (datum: Rec, operator: string, comparisons: Rec[], test: BooleanTest): boolean => {
      switch (operator) {
        case 'and':
          return comparisons.every((c) => test(datum, c));
        case 'or':
          return comparisons.some((c) => test(datum, c));
        case 'xor': {
          let trues = 0;
          for (const c of comparisons) if (test(datum, c)) trues++;
          return trues % 2 === 1;
        }
        default:
          throw runtimeError(32020, 'unrecognized logical operator', 'model.tree.compoundTest');
      }
    },
  },

  surrogateTest: {
    sig: '(datum: record D, comparisons: array<record T>, missingTest: fn(D, T) -> union<null, boolean>) -> boolean',
    errors: [32030],
    fn: (datum: Rec, comparisons: Rec[], missingTest: MissingTest): boolean => {
      for (const c of comparisons) {
        const result = missingTest(datum, c);
        if (result !== null) return result;
      }
      throw runtimeError(32030, 'no successful surrogate', 'model.tree.surrogateTest');
    },
  },

  simpleWalk: {
    sig: '(datum: record D, treeNode: record T {pass: union<T, any S>, fail: union<T, S>}, test: fn(D, T) -> boolean) -> S',
    kernel: { kind: 'treeWalk', sigs: [0], walk: 'simple' },
    make: (site) => walker(site, ['pass', 'fail'], passOrFail),
  },

  missingWalk: {
    sig: '(datum: record D, treeNode: record T {pass: union<T, any S>, fail: union<T, S>, missing: union<T, S>}, test: fn(D, T) -> union<null, boolean>) -> S',
    kernel: { kind: 'treeWalk', sigs: [0], walk: 'missing' },
    make: (site) => walker(site, ['pass', 'fail', 'missing'], passFailOrMissing),
  },

  simpleTree: {
    sig: '(datum: record D, treeNode: record T {field: enum F of D, operator: string, value: any V, pass: union<T, any S>, fail: union<T, S>}) -> S',
    errors: [32060, 32061],
    kernel: { kind: 'treeWalk', sigs: [0], walk: 'comparison' },
    make: (site) => {
      const test = comparisonTest(
        site.paramTypes[0] as RecordType,
        site.paramTypes[1] as RecordType,
        simpleTestOptions('model.tree.simpleTree', 32060),
      );
      const walk = walker(site, ['pass', 'fail'], passOrFail);
      // The comparison itself is the test: simpleWalk with simpleTest.
      return (datum: Rec, treeNode: Rec) => walk(datum, treeNode, test as BooleanTest);
    },
  },
});
