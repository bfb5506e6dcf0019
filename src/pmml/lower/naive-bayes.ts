/**
 * NaiveBayesModel, in log space: per target category, ln(prior count) plus, for each BayesInput
 * whose value is present, ln P(value | category), then a softmax. P is a PairCounts count over the
 * category's total count for that input (a zero count gives the model's threshold), or a Gaussian
 * density (TargetValueStats) kept at least at the threshold. Missing values, and values no
 * PairCounts lists, are ignored.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, type Scope, lit, parseNumber, valueType } from './context.js';
import type { Pfa, Ref } from './builder.js';
import { lowerExpression } from './expression.js';
import { expressionChild } from './lowered.js';
import { convertValue } from './lowered.js';
import type { FamilyLowering } from './family.js';
import { classified } from './categories.js';

const DOUBLES = { type: 'array', items: 'double' };

/** Category -> count, in document order. */
function counts(el: XmlElement | undefined, ctx: LowerContext): Map<string, number> {
  return new Map((el ? childrenNamed(el, 'TargetValueCount') : []).map((c) => [ctx.attr(c, 'value'), ctx.number(c, 'count')]));
}

/** The input's log-probabilities per category (an array<double>) for a present double `x`. */
function gaussian(input: XmlElement, labels: readonly string[], threshold: number, x: Ref, ctx: LowerContext): Pfa {
  const stats = new Map(childrenNamed(child(input, 'TargetValueStats')!, 'TargetValueStat').map((s) => [ctx.attr(s, 'value'), s]));
  return {
    new: labels.map((label) => {
      const stat = stats.get(label);
      if (!stat) return 0.0;
      const g = child(stat, 'GaussianDistribution') ?? ctx.unsupported(stat, 'a TargetValueStat without a GaussianDistribution');
      const mean = ctx.number(g, 'mean');
      const sd = Math.sqrt(ctx.number(g, 'variance'));
      // The density as exp(-z^2/2 - (ln sd + ln(2 pi)/2)), as the reference evaluator writes it.
      const z = { '/': [{ '-': [x, mean] }, sd] };
      const density = { 'm.exp': [{ '-': [{ '*': [-0.5, { '*': [z, z] }] }, lit.double(Math.log(sd) + 0.5 * Math.log(2 * Math.PI))] }] };
      return { 'm.ln': [{ max: [density, threshold] }] };
    }),
    type: DOUBLES,
  };
}

/** The input's log-probabilities per category for a present value `v`, from its PairCounts (a cell). */
function discrete(
  input: XmlElement,
  labels: readonly string[],
  threshold: number,
  v: Ref,
  type: 'double' | 'string' | 'boolean',
  ctx: LowerContext,
): Pfa {
  const pairs = childrenNamed(input, 'PairCounts');
  const tables = pairs.map((p) => counts(child(p, 'TargetValueCounts'), ctx));
  const totals = new Map<string, number>();
  for (const t of tables) for (const [c, n] of t) totals.set(c, (totals.get(c) ?? 0) + n);
  // A category the PairCounts do not mention takes no part (ln 1 = 0).
  const ratios = tables.map((t) => labels.map((c) => (!t.has(c) ? 1 : t.get(c) === 0 ? threshold : t.get(c)! / totals.get(c)!)));
  // A threshold of 0 (JPMML: the category's probability is then 0) has no finite logarithm, which
  // a cell's JSON cannot hold: such a table keeps the probabilities and takes logarithms on lookup.
  const finite = ratios.every((r) => r.every((x) => x > 0 && Number.isFinite(x)));
  const rows = finite ? ratios.map((r) => r.map((x) => (x === 1 ? 0 : Math.log(x)))) : ratios;
  const values = pairs.map((p) => {
    const raw = ctx.attr(p, 'value');
    return type === 'double'
      ? (parseNumber(raw) ?? ctx.fail(p, 'pmml-bad-value', `not a number: ${JSON.stringify(raw)}`))
      : type === 'boolean'
        ? ctx.boolean(p, raw)
        : raw;
  });
  const cell = ctx.symbol('pairCounts');
  ctx.cells[cell] = { type: { type: 'array', items: DOUBLES }, init: rows };
  const i = ctx.symbol('i');
  return {
    do: [
      { let: { [i]: { 'a.index': [{ type: { type: 'array', items: type }, value: values }, v] } } },
      {
        if: { '<': [i, 0] },
        then: { type: DOUBLES, value: labels.map(() => 0) },
        else: finite ? { cell, path: [i] } : { 'a.map': [{ cell, path: [i] }, { fcn: 'm.ln' }] },
      },
    ],
  };
}

export const lowerNaiveBayes: FamilyLowering = (model, ctx, scope) => {
  const threshold = ctx.number(model, 'threshold');
  const output = child(model, 'BayesOutput') ?? ctx.fail(model, 'pmml-invalid', 'NaiveBayesModel has no BayesOutput');
  const priors = counts(child(output, 'TargetValueCounts'), ctx);
  const labels = [...priors.keys()];
  if (labels.length === 0) ctx.fail(output, 'pmml-invalid', 'BayesOutput has no TargetValueCounts');
  const inputsEl = child(model, 'BayesInputs') ?? ctx.fail(model, 'pmml-invalid', 'NaiveBayesModel has no BayesInputs');
  // Older R documents wrap continuous BayesInputs in an Extension; they count after the others.
  const inputs = [
    ...childrenNamed(inputsEl, 'BayesInput'),
    ...childrenNamed(inputsEl, 'Extension').flatMap((e) => childrenNamed(e, 'BayesInput')),
  ];

  // A zero prior count is a category the model never predicts: ln 0 is -Infinity.
  let sum: Pfa = { new: labels.map((c) => lit.double(Math.log(priors.get(c)!))), type: DOUBLES };
  for (const input of inputs) {
    const name = input.attrs.fieldName ?? ctx.attr(input, 'field');
    const field = ctx.field(input, scope as Scope, name);
    const derived = child(input, 'DerivedField');
    let value: Pfa = field.symbol;
    let type = field.type;
    if (derived && !child(input, 'TargetValueStats')) {
      const expr = expressionChild(derived) ?? ctx.fail(derived, 'pmml-invalid', 'the DerivedField of a BayesInput has no expression');
      const low = lowerExpression(expr, ctx, scope as Scope);
      type = derived.attrs.dataType ? valueType(derived.attrs.dataType) : low.type;
      value = convertValue(low, type, ctx);
    }
    const v = ctx.symbol('v');
    let contribution: Pfa;
    if (child(input, 'TargetValueStats')) {
      if (type !== 'double') ctx.fail(input, 'pmml-invalid', `continuous BayesInput ${name} is not numeric`);
      contribution = gaussian(input, labels, threshold, v, ctx);
    } else contribution = discrete(input, labels, threshold, v, type, ctx);
    sum = { 'la.add': [sum, { ifnotnull: { [v]: value }, then: contribution, else: { type: DOUBLES, value: labels.map(() => 0) } }] };
  }

  const probs = ctx.symbol('probs');
  return [{ let: { [probs]: { 'm.link.softmax': [sum] } } }, classified(labels, probs)];
};
