/**
 * PMML expressions (Constant, FieldRef, NormContinuous, NormDiscrete, Discretize, MapValues, Apply,
 * ...) lowered to PFA expressions of type ["null", T]. Missing values propagate as PMML says: an
 * expression over a missing input is missing unless it says otherwise (`mapMissingTo`, `isMissing`,
 * `if`, ...).
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, type Scope, lit, parseNumber, valueType, type ValueType } from './context.js';
import { origin, type Pfa, type Ref } from './builder.js';
import { applyFunction, parameterReference } from './functions.js';
import { constant, convertValue, type Lowered } from './lowered.js';
import { lowerTextIndex } from './text-index.js';
import { dateType, fieldNumber } from './dates.js';
import { lowerLag } from './lag.js';
import { lowerAggregate } from './aggregate.js';

/** Replaces a missing result by `mapMissingTo`, when the element has one. */
function mapMissing(ctx: LowerContext, el: XmlElement, low: Lowered): Lowered {
  const m = el.attrs.mapMissingTo;
  if (m === undefined) return low;
  const v = ctx.symbol('m');
  return {
    ...low,
    pfa: { ifnotnull: { [v]: low.pfa }, then: { upcast: v, as: ['null', low.type] }, else: constant(ctx, el, m, low.type, low.dataType) },
  };
}

/** An expression, recorded as lowered from its element (builder.ts origin). */
export function lowerExpression(el: XmlElement, ctx: LowerContext, scope: Scope): Lowered {
  const low = expressionOf(el, ctx, scope);
  origin(el, low.pfa);
  return low;
}

function expressionOf(el: XmlElement, ctx: LowerContext, scope: Scope): Lowered {
  switch (el.name) {
    case 'Constant': {
      const param = parameterReference(el, scope);
      if (param) return { type: param.type, pfa: param.symbol };
      const type = el.attrs.dataType ? valueType(el.attrs.dataType) : parseNumber(el.text) !== undefined ? 'double' : 'string';
      const date = dateType(el.attrs.dataType) ? { dataType: el.attrs.dataType } : {};
      if (el.attrs.missing === 'true') return { type, ...date, pfa: lit.missing(type) };
      return { type, ...date, pfa: constant(ctx, el, el.text, type, el.attrs.dataType) };
    }
    case 'FieldRef': {
      const f = ctx.field(el, scope, ctx.attr(el, 'field'));
      return mapMissing(ctx, el, { type: f.type, pfa: f.symbol, ...(dateType(f.dataType) ? { dataType: f.dataType } : {}) });
    }
    case 'NormContinuous':
      return mapMissing(ctx, el, normContinuous(el, ctx, scope));
    case 'NormDiscrete': {
      const f = ctx.field(el, scope, ctx.attr(el, 'field'));
      const target = constant(ctx, el, ctx.attr(el, 'value'), f.type);
      const v = ctx.symbol('x');
      const pfa = {
        ifnotnull: { [v]: f.symbol },
        then: { upcast: { if: { '==': [{ upcast: v, as: ['null', f.type] }, target] }, then: 1.0, else: 0.0 }, as: ['null', 'double'] },
        else: lit.missing('double'),
      };
      return mapMissing(ctx, el, { type: 'double', pfa });
    }
    case 'Discretize':
      return mapMissing(ctx, el, discretize(el, ctx, scope));
    case 'MapValues':
      return mapMissing(ctx, el, mapValues(el, ctx, scope));
    case 'Apply':
      return mapMissing(ctx, el, applyFunction(el, ctx, scope, lowerExpression));
    case 'TextIndex':
      return lowerTextIndex(el, ctx, scope, lowerExpression);
    case 'Lag':
      return lowerLag(el, ctx, scope);
    case 'Aggregate':
      return lowerAggregate(el, ctx, scope);
    default:
      return ctx.unsupported(el, `expression ${el.name}`);
  }
}

/**
 * A field's value as a number, for the expressions that read one (NormContinuous, Discretize): text
 * is read as a number when scored and fails when it is not one, as JPMML converts it.
 */
function numberOf(ctx: LowerContext, f: { type: ValueType; symbol: Ref }): Pfa {
  return f.type === 'double' ? f.symbol : convertValue({ type: f.type, pfa: f.symbol }, 'double', ctx);
}

function normContinuous(el: XmlElement, ctx: LowerContext, scope: Scope): Lowered {
  const f = ctx.field(el, scope, ctx.attr(el, 'field'));
  const points = childrenNamed(el, 'LinearNorm').map((p) => [ctx.number(p, 'orig'), ctx.number(p, 'norm')] as const);
  if (points.length < 2) ctx.fail(el, 'pmml-invalid', 'NormContinuous needs at least two LinearNorm points');
  const outliers = el.attrs.outliers ?? 'asIs';
  const x = ctx.symbol('x');
  const segment = (i: number): Pfa => {
    const [a, an] = points[i]!;
    const [b, bn] = points[i + 1]!;
    return { '+': [an, { '*': [{ '/': [{ '-': [x, a] }, b - a] }, bn - an] }] };
  };
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const some = (v: Pfa): Pfa => ({ upcast: v, as: ['null', 'double'] });
  // Outside the points: extrapolate the end segment, clamp to its norm, or give a missing value.
  const outside = (edge: readonly [number, number], i: number): Pfa =>
    outliers === 'asMissingValues' ? lit.missing('double') : some(outliers === 'asExtremeValues' ? edge[1] : segment(i));
  const clauses: Pfa[] = [{ if: { '<': [x, first[0]] }, then: outside(first, 0) }];
  for (let i = 0; i < points.length - 1; i++) clauses.push({ if: { '<=': [x, points[i + 1]![0]] }, then: some(segment(i)) });
  return {
    type: 'double',
    pfa: {
      ifnotnull: { [x]: numberOf(ctx, f) },
      then: { cond: clauses, else: outside(last, points.length - 2) },
      else: lit.missing('double'),
    },
  };
}

function discretize(el: XmlElement, ctx: LowerContext, scope: Scope): Lowered {
  const f = ctx.field(el, scope, ctx.attr(el, 'field'));
  const type = valueType(el.attrs.dataType ?? 'string');
  const x = ctx.symbol('x');
  const otherwise =
    el.attrs.defaultValue !== undefined ? constant(ctx, el, el.attrs.defaultValue, type, el.attrs.dataType) : lit.missing(type);
  const clauses = childrenNamed(el, 'DiscretizeBin').map((bin) => {
    const interval = child(bin, 'Interval') ?? ctx.fail(bin, 'pmml-invalid', 'DiscretizeBin needs an Interval');
    return { if: intervalTest(ctx, interval, x), then: constant(ctx, bin, ctx.attr(bin, 'binValue'), type, el.attrs.dataType) };
  });
  const body = clauses.length ? { cond: clauses, else: otherwise } : otherwise;
  return {
    type,
    ...(dateType(el.attrs.dataType) ? { dataType: el.attrs.dataType } : {}),
    pfa: { ifnotnull: { [x]: numberOf(ctx, f) }, then: body, else: lit.missing(type) },
  };
}

/** A boolean test of a present double `x` against a PMML Interval. */
export function intervalTest(ctx: LowerContext, interval: XmlElement, x: Ref): Pfa {
  const closure = interval.attrs.closure ?? 'closedClosed';
  const tests: Pfa[] = [];
  if (interval.attrs.leftMargin !== undefined)
    tests.push({ [closure.startsWith('open') ? '>' : '>=']: [x, lit.double(ctx.number(interval, 'leftMargin', undefined, true))] });
  if (interval.attrs.rightMargin !== undefined)
    tests.push({ [closure.endsWith('Open') ? '<' : '<=']: [x, lit.double(ctx.number(interval, 'rightMargin', undefined, true))] });
  return tests.length === 0 ? true : tests.length === 1 ? tests[0]! : { '&&': tests };
}

function mapValues(el: XmlElement, ctx: LowerContext, scope: Scope): Lowered {
  const type = valueType(el.attrs.dataType ?? 'string');
  const output = ctx.attr(el, 'outputColumn');
  const pairs = childrenNamed(el, 'FieldColumnPair').map((p) => ({
    field: ctx.field(p, scope, ctx.attr(p, 'field')),
    column: ctx.attr(p, 'column'),
  }));
  const table = child(el, 'InlineTable') ?? ctx.unsupported(el, 'MapValues without an InlineTable');
  const rows = childrenNamed(table, 'row').map((r) => new Map(r.children.map((c) => [c.name, c.text])));
  const vars = pairs.map((p) => ctx.symbol(p.field.name));
  const otherwise = el.attrs.defaultValue !== undefined ? constant(ctx, el, el.attrs.defaultValue, type) : lit.missing(type);
  const clauses = rows
    .filter((r) => r.has(output) && pairs.every((p) => r.has(p.column)))
    .map((r) => ({
      if:
        pairs.length === 1
          ? matchCell(ctx, el, vars[0]!, pairs[0]!.field.type, r.get(pairs[0]!.column)!, pairs[0]!.field.dataType)
          : { '&&': pairs.map((p, i) => matchCell(ctx, el, vars[i]!, p.field.type, r.get(p.column)!, p.field.dataType)) },
      then: constant(ctx, el, r.get(output)!, type),
    }));
  const body = clauses.length ? { cond: clauses, else: otherwise } : otherwise;
  return {
    type,
    pfa: { ifnotnull: Object.fromEntries(vars.map((v, i) => [v, pairs[i]!.field.symbol])), then: body, else: lit.missing(type) },
  };
}

/** Whether the present value `v` of a field of `type` (and PMML `dataType`) equals the table cell text. */
export function matchCell(ctx: LowerContext, el: XmlElement, v: Ref, type: ValueType, cell: string, dataType?: string): Pfa {
  if (type === 'string') return { '==': [v, lit.string(cell)] };
  if (type === 'boolean') return { '==': [v, ctx.boolean(el, cell)] };
  const n = fieldNumber(cell, dataType) ?? ctx.fail(el, 'pmml-bad-value', `not a number: ${JSON.stringify(cell)}`);
  return { '==': [v, lit.double(n)] };
}
