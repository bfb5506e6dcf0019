/**
 * RuleSetModel: a rule fires when its predicate and those of every enclosing CompoundRule are TRUE
 * (UNKNOWN, from a missing value, does not fire). The first RuleSelectionMethod decides:
 * - firstHit: the first firing rule in document order;
 * - weightedMax: the firing rule of highest weight, the first on a tie;
 * - weightedSum: the score whose firing rules weigh most in total (the first score, in order of
 *   appearance, on a tie), with confidence = that total / the number of firing rules.
 * No firing rule gives the RuleSet's defaultScore and defaultConfidence. The prediction's confidence
 * (and probability) is the winning rule's confidence; its entity is the rule's id.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, NULL_RESULT, type Scope, lit, result } from './context.js';
import type { Pfa, Ref } from './builder.js';
import { lowerPredicate, predicateChild } from './predicate.js';
import type { FamilyLowering } from './family.js';

interface Rule {
  readonly el: XmlElement;
  /** Symbol of the boolean "this rule fires". */
  readonly fires: Ref;
  readonly score: string;
  readonly weight: number;
  readonly confidence: number;
}

/** A predicate's TRUE as a boolean: UNKNOWN is not TRUE. */
function isTrue(pred: Pfa, ctx: LowerContext): Pfa {
  const p = ctx.symbol('p');
  return { ifnotnull: { [p]: pred }, then: p, else: false };
}

/** The constant Result of a winning score. */
function scoreResult(score: string | undefined, confidence: number | undefined, id: string | undefined): Pfa {
  return {
    type: 'Result',
    value: {
      number: null,
      label: score === undefined ? null : { string: score },
      probs: score !== undefined && confidence !== undefined ? { [score]: confidence } : {},
      entity: id === undefined ? null : { string: id },
      affinities: {},
      reasons: [],
    },
  };
}

export const lowerRuleSet: FamilyLowering = (model, ctx, scope) => {
  const set = child(model, 'RuleSet') ?? ctx.fail(model, 'pmml-invalid', 'RuleSetModel needs a RuleSet');
  const method = childrenNamed(set, 'RuleSelectionMethod')[0]?.attrs.criterion ?? 'firstHit';
  const statements: Pfa[] = [];
  const rules: Rule[] = [];

  /** Flattens the rules under `parent`, each firing only when `guard` (a boolean symbol) holds. */
  const collect = (parent: XmlElement, guard: Ref | undefined): void => {
    for (const el of parent.children) {
      if (el.name !== 'SimpleRule' && el.name !== 'CompoundRule') continue;
      const pred = predicateChild(el) ?? ctx.fail(el, 'pmml-invalid', `${el.name} needs a predicate`);
      const own = isTrue(lowerPredicate(pred, ctx, scope as Scope), ctx);
      const fires = ctx.symbol(el.name === 'SimpleRule' ? (el.attrs.id ?? 'rule') : 'compound');
      statements.push({ let: { [fires]: guard === undefined ? own : { '&&': [guard, own] } } });
      if (el.name === 'CompoundRule') collect(el, fires);
      else
        rules.push({
          el,
          fires,
          score: ctx.attr(el, 'score'),
          weight: ctx.number(el, 'weight', 1),
          confidence: ctx.number(el, 'confidence', 1),
        });
    }
  };
  collect(set, undefined);

  const fallback =
    set.attrs.defaultScore !== undefined
      ? scoreResult(
          set.attrs.defaultScore,
          set.attrs.defaultConfidence !== undefined ? ctx.number(set, 'defaultConfidence') : undefined,
          undefined,
        )
      : NULL_RESULT;
  const ruleResult = (r: Rule): Pfa => scoreResult(r.score, r.confidence, r.el.attrs.id);
  const count = ctx.symbol('fired');
  const firedCount: Pfa = rules.map((r): Pfa => ({ if: r.fires, then: 1.0, else: 0.0 })).reduce((a, b) => ({ '+': [a, b] }), 0.0);

  switch (method) {
    case 'firstHit':
      return [...statements, rules.length ? { cond: rules.map((r) => ({ if: r.fires, then: ruleResult(r) })), else: fallback } : fallback];
    case 'weightedMax': {
      const weights = {
        new: rules.map((r) => ({ if: r.fires, then: r.weight, else: lit.double(-Infinity) })),
        type: { type: 'array', items: 'double' },
      };
      const results = { type: { type: 'array', items: 'Result' }, value: rules.map((r) => (ruleResult(r) as { value: unknown }).value) };
      return [
        ...statements,
        { let: { [count]: firedCount } },
        { if: { '>': [count, 0.0] }, then: { attr: results, path: [{ 'a.argmax': [weights] }] }, else: fallback },
      ];
    }
    case 'weightedSum': {
      const scores = [...new Set(rules.map((r) => r.score))];
      const totals = ctx.symbol('totals');
      const best = ctx.symbol('best');
      const total = (s: string): Pfa =>
        rules
          .filter((r) => r.score === s)
          .map((r): Pfa => ({ if: r.fires, then: r.weight, else: 0.0 }))
          .reduce((a, b) => ({ '+': [a, b] }));
      const label = { attr: { type: { type: 'array', items: 'string' }, value: scores }, path: [best] };
      return [
        ...statements,
        { let: { [count]: firedCount } },
        {
          if: { '>': [count, 0.0] },
          then: {
            do: [
              { let: { [totals]: { new: scores.map(total), type: { type: 'array', items: 'double' } } } },
              { let: { [best]: { 'a.argmax': [totals] } } },
              result({
                label: { upcast: label, as: ['null', 'string'] },
                probs: {
                  'map.add': [
                    { type: { type: 'map', values: 'double' }, value: {} },
                    label,
                    { '/': [{ attr: totals, path: [best] }, count] },
                  ],
                },
              }),
            ],
          },
          else: fallback,
        },
      ];
    }
    default:
      return ctx.unsupported(childrenNamed(set, 'RuleSelectionMethod')[0]!, `RuleSelectionMethod criterion ${method}`);
  }
};
