/**
 * PMML predicates (SimplePredicate, CompoundPredicate, SimpleSetPredicate, True, False) lowered to
 * three-valued PFA expressions of type ["null", "boolean"]: null is UNKNOWN, which is what a
 * comparison with a missing value gives. Tree models decide what UNKNOWN means for them.
 */
import type { XmlElement } from '../xml.js';
import { child } from '../xml.js';
import { type LowerContext, type Scope, lit } from './context.js';
import { origin, shared, type Pfa } from './builder.js';
import { floatConstant } from './float.js';
import { fieldNumber } from './dates.js';

/** PMML's comparison operators as PFA's (SimplePredicate's `operator`). */
export const OPERATORS: Readonly<Record<string, string>> = {
  equal: '==',
  notEqual: '!=',
  lessThan: '<',
  lessOrEqual: '<=',
  greaterThan: '>',
  greaterOrEqual: '>=',
};

const known = (b: Pfa): Pfa => ({ upcast: b, as: ['null', 'boolean'] });
/** lit.missing('boolean'), one object for every use. */
const UNKNOWN: Pfa = shared({ type: ['null', 'boolean'], value: null });

/** A predicate, recorded as lowered from its element (builder.ts origin). */
export function lowerPredicate(el: XmlElement, ctx: LowerContext, scope: Scope): Pfa {
  return origin(el, predicateOf(el, ctx, scope));
}

function predicateOf(el: XmlElement, ctx: LowerContext, scope: Scope): Pfa {
  switch (el.name) {
    case 'True':
      return known(true);
    case 'False':
      return known(false);
    case 'SimplePredicate': {
      const f = ctx.field(el, scope, ctx.attr(el, 'field'));
      const op = ctx.attr(el, 'operator');
      if (op === 'isMissing') return known({ '==': [f.symbol, null] });
      if (op === 'isNotMissing') return known({ '!=': [f.symbol, null] });
      const pfaOp = OPERATORS[op] ?? ctx.fail(el, 'pmml-invalid', `unknown operator ${op}`);
      const raw = ctx.attr(el, 'value');
      // A float field is compared with the float32 nearest to the constant (its value is a float32 too).
      const number = (): number =>
        floatConstant(
          fieldNumber(raw, f.dataType) ??
            ctx.fail(el, 'pmml-bad-value', `${f.name} is numeric, but the predicate compares it with ${JSON.stringify(raw)}`),
          f.dataType === 'float',
        );
      // A non-finite constant (value="Infinity") is written as an expression: JSON has no number for it.
      const numeric = (n: number): Pfa => (Number.isFinite(n) ? n : lit.double(n));
      const value = f.type === 'string' ? lit.string(raw) : f.type === 'boolean' ? ctx.boolean(el, raw) : numeric(number());
      const v = ctx.symbol('x');
      return { ifnotnull: { [v]: f.symbol }, then: known({ [pfaOp]: [v, value] }), else: UNKNOWN };
    }
    case 'SimpleSetPredicate': {
      const f = ctx.field(el, scope, ctx.attr(el, 'field'));
      const array = child(el, 'Array') ?? ctx.fail(el, 'pmml-invalid', 'SimpleSetPredicate needs an Array');
      const items = parseArray(array.text);
      const values =
        f.type === 'string'
          ? items
          : items.map((s) =>
              floatConstant(fieldNumber(s, f.dataType) ?? ctx.fail(array, 'pmml-bad-value', `not a number: ${s}`), f.dataType === 'float'),
            );
      const type = { type: 'array', items: f.type === 'string' ? 'string' : 'double' };
      const v = ctx.symbol('x');
      const member = { 'a.contains': [{ type, value: values }, v] };
      const test = ctx.attr(el, 'booleanOperator') === 'isIn' ? member : { '!': [member] };
      return { ifnotnull: { [v]: f.symbol }, then: known(test), else: UNKNOWN };
    }
    case 'CompoundPredicate': {
      const op = ctx.attr(el, 'booleanOperator');
      const parts = el.children.filter((c) => c.name !== 'Extension').map((c) => lowerPredicate(c, ctx, scope));
      if (parts.length === 0) ctx.fail(el, 'pmml-invalid', 'CompoundPredicate needs predicates');
      switch (op) {
        case 'and':
          return parts.reduce((a, b) => ({ '&&&': [a, b] }));
        case 'or':
          return parts.reduce((a, b) => ({ '|||': [a, b] }));
        case 'xor':
          return parts.reduce((a, b) => {
            const [x, y] = [ctx.symbol('a'), ctx.symbol('b')];
            return { ifnotnull: { [x]: a, [y]: b }, then: known({ '^^': [x, y] }), else: UNKNOWN };
          });
        case 'surrogate':
          // The first predicate that is not UNKNOWN decides.
          return parts.reduceRight((rest, p) => {
            const x = ctx.symbol('s');
            return { ifnotnull: { [x]: p }, then: known(x), else: rest };
          });
        default:
          return ctx.fail(el, 'pmml-invalid', `unknown booleanOperator ${op}`);
      }
    }
    default:
      return ctx.unsupported(el, `predicate ${el.name}`);
  }
}

/** The items of a PMML Array: whitespace-separated, double quotes around items with spaces. */
export function parseArray(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : m[2]!);
  return out;
}

/** The names of PMML's predicate elements: the one list of them. */
const PREDICATE_NAMES: ReadonlySet<string> = new Set(['True', 'False', 'SimplePredicate', 'CompoundPredicate', 'SimpleSetPredicate']);

/**
 * The predicate of an element that holds one (a Node, Segment, Attribute, SimpleRule or
 * CompoundRule): its first child that is a predicate, or undefined. A plain loop over a set: a
 * forest asks it of every node.
 */
export function predicateChild(el: XmlElement): XmlElement | undefined {
  for (const c of el.children) if (PREDICATE_NAMES.has(c.name)) return c;
  return undefined;
}
