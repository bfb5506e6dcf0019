/**
 * A lowered PMML expression (`Lowered`: a PFA expression of type ["null", T]) and the pieces every
 * lowering step builds values with: constants from PMML text, forms over present values, and
 * conversions between value types. A leaf of the lowering: the expression dispatcher
 * (expression.ts) and the functions and parts it dispatches to import it, never each other back.
 */
import type { XmlElement } from '../xml.js';
import { type LowerContext, type Scope, lit, parseNumber, type ValueType } from './context.js';
import type { Pfa, Ref } from './builder.js';
import { dateConstant, dateType } from './dates.js';

export interface Lowered {
  readonly pfa: Pfa;
  readonly type: ValueType;
  /** The PMML dataType of a date or time value (a double, see dates.ts); absent for other values. */
  readonly dataType?: string;
}

const EXPRESSIONS = new Set([
  'Constant',
  'FieldRef',
  'NormContinuous',
  'NormDiscrete',
  'Discretize',
  'MapValues',
  'Apply',
  'TextIndex',
  'Aggregate',
  'Lag',
]);

/** The expression element inside a DerivedField, OutputField, DefineFunction, ... */
export function expressionChild(el: XmlElement): XmlElement | undefined {
  return el.children.find((c) => EXPRESSIONS.has(c.name));
}

/**
 * A literal of the given type from PMML text (numbers parsed, strings as they are); for a value of
 * a date or time `dataType`, the type's number (ISO-8601 text read as dates.ts says).
 */
export function constant(ctx: LowerContext, el: XmlElement, text: string, type: ValueType, dataType?: string): Pfa {
  const date = type === 'double' ? dateType(dataType) : undefined;
  if (date) return lit.some('double', lit.double(dateConstant(ctx, el, text, date)));
  if (type === 'string') return lit.some('string', lit.string(text));
  if (type === 'boolean') return lit.some('boolean', ctx.boolean(el, text));
  const n = parseNumber(text) ?? ctx.fail(el, 'pmml-bad-value', `not a number: ${JSON.stringify(text)}`);
  return lit.some('double', lit.double(n));
}

/**
 * `body` over the present values of `args`, missing when any is missing.
 *
 * Written with one variable per `let` and per `ifnotnull`, nested, rather than one `ifnotnull` over
 * all the arguments: the source backend writes single bindings as inline code and leaves forms that
 * bind several names to the generic closures, which made derived fields (a PCA projection is some
 * sixty of these a record) cost several times their arithmetic. The answers are the same: every
 * argument that is not a plain variable is still evaluated, in order, before any is tested, and a
 * constant (present by construction) is bound without a test.
 */
export function whenPresent(args: readonly Pfa[], type: ValueType, body: (vars: Ref[]) => Pfa, ctx: LowerContext): Pfa {
  const vars = args.map(() => ctx.symbol('v'));
  const present = { upcast: body(vars), as: ['null', type] };
  if (args.length === 1) return { ifnotnull: { [vars[0]!]: args[0]! }, then: present, else: lit.missing(type) };
  const first: Pfa[] = [];
  const constants: Pfa[] = [];
  const tests: [Ref, Pfa][] = [];
  args.forEach((arg, i) => {
    const value = presentLiteral(arg);
    if (value !== undefined) constants.push({ let: { [vars[i]!]: value } });
    else if (typeof arg === 'string') tests.push([vars[i]!, arg]);
    else {
      // Bound before the tests, so that it is evaluated whether or not an earlier argument is missing.
      const bound = ctx.symbol('arg');
      first.push({ let: { [bound]: arg } });
      tests.push([vars[i]!, bound]);
    }
  });
  const inner: Pfa = constants.length === 0 ? present : { do: [...constants, present] };
  const nested = tests.reduceRight<Pfa>((then, [v, x]) => ({ ifnotnull: { [v]: x }, then, else: lit.missing(type) }), inner);
  return first.length === 0 ? nested : { do: [...first, nested] };
}

/**
 * The literal inside a present constant (`{upcast: {double: 2}, as: ["null", "double"]}`), when
 * its own type is the one it was made nullable from; else undefined.
 */
function presentLiteral(x: Pfa): Pfa | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || !('upcast' in x)) return undefined;
  const as = (x as { as: unknown }).as;
  if (!Array.isArray(as) || as.length !== 2 || as[0] !== 'null') return undefined;
  const v = (x as { upcast: unknown }).upcast;
  if (typeof v === 'boolean') return as[1] === 'boolean' ? v : undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  const literal = keys.length === 1 && (keys[0] === 'double' || keys[0] === 'string') && keys[0] === as[1];
  return literal ? (v as Pfa) : undefined;
}

/** A value as text (for `concat` and conversions): numbers print as integers when they are whole. */
export function text(v: Ref, t: ValueType): Pfa {
  if (t === 'string') return v;
  if (t === 'boolean') return { if: v, then: { string: 'true' }, else: { string: 'false' } };
  return { if: { '==': [v, { 'm.floor': [v] }] }, then: { 's.int': [{ 'cast.long': [v] }] }, else: { 's.number': [v, null, null] } };
}

/** Converts a lowered value to another value type (numbers to text and back), keeping missing. */
export function convertValue(low: Lowered, to: ValueType, ctx: LowerContext): Pfa {
  if (low.type === to) return low.pfa;
  return whenPresent(
    [low.pfa],
    to,
    ([v]) => {
      if (to === 'string') return text(v!, low.type);
      if (to === 'double') return low.type === 'boolean' ? { if: v, then: 1.0, else: 0.0 } : { 'parse.double': [v] };
      return low.type === 'double' ? { '!=': [v, 0.0] } : { '==': [v, { string: 'true' }] };
    },
    ctx,
  );
}

/** Lowers any expression element: passed to the parts of an expression that hold expressions. */
export type LowerExpression = (el: XmlElement, ctx: LowerContext, scope: Scope) => Lowered;
