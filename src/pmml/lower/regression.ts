/**
 * RegressionModel: one RegressionTable per target category (classification) or one table
 * (regression), each a linear form over numeric predictors (with exponents), categorical indicator
 * predictors and products of fields, followed by the normalizationMethod. A missing predictor makes
 * the whole prediction missing.
 */
import type { XmlElement } from '../xml.js';
import { childrenNamed } from '../xml.js';
import { NULL_RESULT, type LowerContext, type Scope, lit, parseNumber, result, type FieldInfo } from './context.js';
import { local, type Pfa, type Ref } from './builder.js';
import type { FamilyLowering } from './family.js';
import { floatLink, floatMath, toFloat } from './float.js';
import { probabilityLink } from './links.js';

/**
 * Tables of at most this many terms are summed by a chain of additions rather than `a.sum` of an
 * array built for it (an array and a library call a record; XGBoost's last segment has two).
 */
const CHAINED_TERMS = 16;

/** The normalizationMethod of a regression value, on a double expression `y`. */
export function link(method: string, y: Pfa, el: XmlElement, ctx: LowerContext): Pfa {
  if (method === 'none') return y;
  // A float model (x-mathContext="float") takes the link in float32 steps (float.ts floatLink).
  const float = floatMath(el) ? floatLink(method, y) : undefined;
  if (float) return float;
  if (method === 'exp') return { 'm.exp': [y] };
  return probabilityLink(method, y) ?? ctx.unsupported(el, `normalizationMethod ${method}`);
}

/**
 * The value of a present field for arithmetic: booleans count as 0/1, and text is read as a number
 * when scored (as JPMML converts it), failing for text that is not one.
 */
function numeric(v: Ref, f: FieldInfo): Pfa {
  if (f.type === 'boolean') return { if: v, then: 1.0, else: 0.0 };
  return f.type === 'string' ? { 'parse.double': [v] } : v;
}

/** One table's linear form over present values (`vars` maps field names to their symbols). */
function tableSum(table: XmlElement, ctx: LowerContext, fields: Map<string, { info: FieldInfo; v: Ref }>): Pfa {
  const terms: Pfa[] = [ctx.number(table, 'intercept', 0)];
  for (const np of childrenNamed(table, 'NumericPredictor')) {
    const f = fields.get(ctx.attr(np, 'name'))!;
    const exp = ctx.number(np, 'exponent', 1);
    const x = numeric(f.v, f.info);
    terms.push({ '*': [ctx.number(np, 'coefficient'), exp === 1 ? x : { '**': [x, exp] }] });
  }
  for (const cp of childrenNamed(table, 'CategoricalPredictor')) {
    const f = fields.get(ctx.attr(cp, 'name'))!;
    const raw = ctx.attr(cp, 'value');
    const value =
      f.info.type === 'string'
        ? lit.string(raw)
        : f.info.type === 'boolean'
          ? ctx.boolean(cp, raw)
          : (parseNumber(raw) ?? ctx.fail(cp, 'pmml-bad-value', `not a number: ${raw}`));
    terms.push({ if: { '==': [f.v, value] }, then: ctx.number(cp, 'coefficient'), else: 0.0 });
  }
  for (const pt of childrenNamed(table, 'PredictorTerm')) {
    const factors = childrenNamed(pt, 'FieldRef').map((r) => {
      const f = fields.get(ctx.attr(r, 'field'))!;
      return numeric(f.v, f.info);
    });
    terms.push(factors.reduce((a, b) => ({ '*': [a, b] }), ctx.number(pt, 'coefficient')));
  }
  // A short table is a chain of additions from 0, in generated source plain arithmetic; a long one
  // one flat a.sum, which adds the same way (from 0, left to right) and keeps it within the nesting
  // limit.
  if (terms.length <= CHAINED_TERMS) return terms.reduce<Pfa>((sum, t) => ({ '+': [sum, t] }), lit.double(0));
  return { 'a.sum': [{ new: terms, type: { type: 'array', items: 'double' } }] };
}

/** Fields a set of tables uses, each with a fresh symbol for its present value. */
function usedFields(tables: readonly XmlElement[], ctx: LowerContext, scope: Scope): Map<string, { info: FieldInfo; v: Ref }> {
  const out = new Map<string, { info: FieldInfo; v: Ref }>();
  const use = (el: XmlElement, name: string) => {
    if (!out.has(name)) out.set(name, { info: ctx.field(el, scope, name), v: ctx.symbol(name) });
  };
  for (const t of tables) {
    for (const p of [...childrenNamed(t, 'NumericPredictor'), ...childrenNamed(t, 'CategoricalPredictor')]) use(p, ctx.attr(p, 'name'));
    for (const pt of childrenNamed(t, 'PredictorTerm')) for (const r of childrenNamed(pt, 'FieldRef')) use(r, ctx.attr(r, 'field'));
  }
  return out;
}

export const lowerRegression: FamilyLowering = (model, ctx, scope) => {
  const tables = childrenNamed(model, 'RegressionTable');
  if (tables.length === 0) ctx.fail(model, 'pmml-invalid', 'RegressionModel has no RegressionTable');
  const method = model.attrs.normalizationMethod ?? 'none';
  const fields = usedFields(tables, ctx, scope);
  // A float model (x-mathContext="float") rounds each table's sum and each normalized value to float32.
  const float = floatMath(model);
  const rounded = (x: Pfa): Pfa => (float ? toFloat(x) : x);
  const present = (body: Pfa): Pfa =>
    fields.size === 0
      ? body
      : { ifnotnull: Object.fromEntries([...fields.values()].map((f) => [f.v, f.info.symbol])), then: body, else: NULL_RESULT };

  if ((model.attrs.functionName ?? 'regression') === 'regression') {
    const y = rounded(tableSum(tables[0]!, ctx, fields));
    const value = rounded(link(method === 'softmax' ? 'logit' : method, y, model, ctx));
    return [present(result({ number: { upcast: value, as: ['null', 'double'] } }))];
  }

  const categories = tables.map((t) => ctx.attr(t, 'targetCategory'));
  const ys = ctx.symbol('ys');
  const probs = ctx.symbol('probs');
  const scores = { new: tables.map((t) => rounded(tableSum(t, ctx, fields))), type: { type: 'array', items: 'double' } };
  let normalized: Pfa;
  /** Statements before `normalized`: the first probability of a binary link, bound once. */
  let before: Pfa[] = [];
  switch (method) {
    case 'softmax':
      normalized = { 'm.link.softmax': [ys] };
      break;
    case 'simplemax':
      normalized = { 'a.map': [ys, { params: [{ y: 'double' }], ret: 'double', do: { '/': [local('y'), { 'a.sum': [ys] }] } }] };
      break;
    case 'none': {
      // The tables give every category's probability but the last, which takes the rest (as JPMML does).
      const given = tables.slice(0, -1).map((_, i): Pfa => ({ attr: ys, path: [i] }));
      normalized =
        given.length === 0
          ? ys
          : { new: [...given, { '-': [1.0, given.reduce((a, b) => ({ '+': [a, b] }))] }], type: { type: 'array', items: 'double' } };
      break;
    }
    default:
      if (tables.length === 2) {
        // Binary links give the first category's probability; the second takes the rest, from the
        // first computed once (the link written twice took its exp twice a record).
        const p = ctx.symbol('p');
        before = [{ let: { [p]: link(method, { attr: ys, path: [0] }, model, ctx) } }];
        normalized = { new: [p, { '-': [1.0, p] }], type: { type: 'array', items: 'double' } };
      } else {
        normalized = { 'a.map': [ys, { params: [{ y: 'double' }], ret: 'double', do: link(method, local('y'), model, ctx) }] };
      }
  }
  const byLabel = {
    new: Object.fromEntries(categories.map((c, i) => [c, { attr: probs, path: [i] }])),
    type: { type: 'map', values: 'double' },
  };
  const labels = { type: { type: 'array', items: 'string' }, value: categories };
  // In float arithmetic each probability is rounded to float32: item by item (there is one per
  // table), which generated source reads in place, where `a.map` called a function per item
  // through the generic path (a tenth of sklearn-XGBoostAudit's score).
  const rounding = (normal: Ref): Pfa[] => [
    { let: { [normal]: normalized } },
    { let: { [probs]: { new: tables.map((_, i) => toFloat({ attr: normal, path: [i] })), type: { type: 'array', items: 'double' } } } },
  ];
  return [
    present({
      do: [
        { let: { [ys]: scores } },
        ...before,
        ...(float ? rounding(ctx.symbol('normalized')) : [{ let: { [probs]: normalized } }]),
        result({ label: { upcast: { attr: labels, path: [{ 'a.argmax': [probs] }] }, as: ['null', 'string'] }, probs: byLabel }),
      ],
    }),
  ];
};
