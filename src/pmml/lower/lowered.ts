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

/** `body` over the present values of `args`, missing when any is missing. */
export function whenPresent(args: readonly Pfa[], type: ValueType, body: (vars: Ref[]) => Pfa, ctx: LowerContext): Pfa {
  const vars = args.map(() => ctx.symbol('v'));
  return {
    ifnotnull: Object.fromEntries(vars.map((v, i) => [v, args[i]])),
    then: { upcast: body(vars), as: ['null', type] },
    else: lit.missing(type),
  };
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
