/**
 * The input vector of a vector-based model (support vector machines, clustering, nearest neighbours):
 * one double per component, read from a field (booleans count as 0/1) or, for a CategoricalPredictor,
 * an indicator of one category times its coefficient.
 */
import type { XmlElement } from '../xml.js';
import { type LowerContext, type Scope, lit, parseNumber, type FieldInfo } from './context.js';
import type { Pfa, Ref } from './builder.js';

export interface VectorComponent {
  readonly field: FieldInfo;
  /** For an indicator component: the category and its coefficient. */
  readonly indicator?: { readonly value: Pfa; readonly coefficient: number };
}

/** A field reference component (`FieldRef`, `ClusteringField`, `KNNInput`, ...) by field name. */
export function fieldComponent(el: XmlElement, ctx: LowerContext, scope: Scope, name: string): VectorComponent {
  return { field: ctx.field(el, scope, name) };
}

/** A component from a FieldRef or a CategoricalPredictor element. */
export function vectorComponent(el: XmlElement, ctx: LowerContext, scope: Scope): VectorComponent {
  if (el.name === 'FieldRef') return fieldComponent(el, ctx, scope, ctx.attr(el, 'field'));
  if (el.name !== 'CategoricalPredictor') return ctx.unsupported(el, `vector field ${el.name}`);
  const field = ctx.field(el, scope, ctx.attr(el, 'name'));
  const raw = ctx.attr(el, 'value');
  const value =
    field.type === 'string'
      ? lit.string(raw)
      : field.type === 'boolean'
        ? ctx.boolean(el, raw)
        : (parseNumber(raw) ?? ctx.fail(el, 'pmml-bad-value', `not a number: ${raw}`));
  return { field, indicator: { value, coefficient: ctx.number(el, 'coefficient', 1) } };
}

/** The double value of one component, given the symbol holding its field's present value. */
function componentValue(c: VectorComponent, v: Ref): Pfa {
  if (c.indicator) return { if: { '==': [v, c.indicator.value] }, then: c.indicator.coefficient, else: 0.0 };
  if (c.field.type === 'boolean') return { if: v, then: 1.0, else: 0.0 };
  if (c.field.type === 'string') return { 'parse.double': [v] };
  return v;
}

/**
 * `body(x)` over the vector `x` (an array<double>) when every component's field is present;
 * `otherwise` when any is missing.
 */
export function withVector(components: readonly VectorComponent[], ctx: LowerContext, body: (x: Ref) => Pfa, otherwise: Pfa): Pfa {
  const symbols = new Map<Ref, Ref>();
  for (const c of components) if (!symbols.has(c.field.symbol)) symbols.set(c.field.symbol, ctx.symbol(c.field.name));
  const x = ctx.symbol('x');
  const vector = { new: components.map((c) => componentValue(c, symbols.get(c.field.symbol)!)), type: { type: 'array', items: 'double' } };
  const inner = { do: [{ let: { [x]: vector } }, body(x)] };
  if (symbols.size === 0) return inner;
  return { ifnotnull: Object.fromEntries([...symbols].map(([field, v]) => [v, field])), then: inner, else: otherwise };
}

/**
 * The vector `x` as array<["null", double]>, a missing field giving a null component (metrics
 * reweight around missing components).
 */
export function nullableVector(components: readonly VectorComponent[], ctx: LowerContext): Pfa {
  return {
    new: components.map((c) => {
      const v = ctx.symbol('v');
      return {
        ifnotnull: { [v]: c.field.symbol },
        then: { upcast: componentValue(c, v), as: ['null', 'double'] },
        else: lit.missing('double'),
      };
    }),
    type: { type: 'array', items: ['null', 'double'] },
  };
}
