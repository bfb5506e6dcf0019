/**
 * TreeModel lowered to nested PFA conditionals: each node tests its children's predicates in order
 * and descends into the first that is true. A predicate that is UNKNOWN (a missing value) is handled
 * by the model's missingValueStrategy; a node with no true child by its noTrueChildStrategy.
 * Every node's own prediction is a constant `Result` literal.
 */
import type { XmlElement } from '../xml.js';
import { childrenNamed } from '../xml.js';
import { LowerContext, Scope, parseNumber, type Pfa } from './context.js';
import { isPredicate, lowerPredicate } from './predicate.js';
import type { FamilyLowering } from './model.js';

const NULL_RESULT: Pfa = { type: 'Result', value: { number: null, label: null, probs: {}, entity: null, affinities: {}, reasons: [] } };

/** The constant prediction of one node: its score, its score distribution and its id. */
export function nodeResult(node: XmlElement, ctx: LowerContext, numeric: boolean): Pfa {
  const score = node.attrs.score;
  const dist = childrenNamed(node, 'ScoreDistribution');
  const counts = dist.map((d) => ctx.number(d, 'recordCount', 0));
  const total = counts.reduce((a, b) => a + b, 0);
  const probs: Record<string, number> = {};
  dist.forEach((d, i) => {
    const p = d.attrs.probability !== undefined ? ctx.number(d, 'probability') : total > 0 ? counts[i]! / total : 0;
    probs[ctx.attr(d, 'value')] = p;
  });
  let number: number | null = null;
  if (numeric && score !== undefined) number = parseNumber(score) ?? ctx.fail(node, 'pmml-bad-value', `tree score is not a number: ${score}`);
  return {
    type: 'Result',
    value: {
      number: number === null ? null : { double: number },
      label: !numeric && score !== undefined ? { string: score } : null,
      probs,
      entity: node.attrs.id !== undefined ? { string: node.attrs.id } : null,
      affinities: {},
      reasons: [],
    },
  };
}

export const lowerTree: FamilyLowering = (model, ctx, scope) => {
  const numeric = (model.attrs.functionName ?? 'regression') === 'regression';
  const missing = model.attrs.missingValueStrategy ?? 'none';
  const noTrueChild = model.attrs.noTrueChildStrategy ?? 'returnNullPrediction';
  if (missing === 'weightedConfidence' || missing === 'aggregateNodes') ctx.unsupported(model, `missingValueStrategy ${missing}`);
  const root = childrenNamed(model, 'Node')[0] ?? ctx.fail(model, 'pmml-invalid', 'TreeModel has no Node');

  const predicateOf = (node: XmlElement): XmlElement => node.children.find(isPredicate) ?? ctx.fail(node, 'pmml-invalid', 'Node has no predicate');

  /** The result of a node whose predicate holds. */
  const evaluate = (node: XmlElement): Pfa => {
    const children = childrenNamed(node, 'Node');
    if (children.length === 0) return nodeResult(node, ctx, numeric);
    return chain(node, children);
  };

  /**
   * Chooses among the children of `node` in two steps, so that every subtree is lowered exactly
   * once whatever the missing-value strategy: first the index of the child to descend into (or
   * NONE, LAST, NULL), then a dispatch on that index.
   */
  const NONE = -1;
  const LAST = -2;
  const NULL = -3;
  const chain = (node: XmlElement, children: XmlElement[]): Pfa => {
    const defaultIndex = children.findIndex((n) => n.attrs.id !== undefined && n.attrs.id === node.attrs.defaultChild);
    const onUnknown = (rest: Pfa): Pfa => {
      switch (missing) {
        case 'lastPrediction':
          return LAST;
        case 'nullPrediction':
          return NULL;
        case 'defaultChild':
          return defaultIndex >= 0 ? defaultIndex : LAST;
        default:
          return rest;
      }
    };
    const select = children.reduceRight<Pfa>((rest, c, i) => {
      const pred = predicateOf(c);
      if (pred.name === 'True') return i;
      const test = lowerPredicate(pred, ctx, scope as Scope);
      // With the default strategy UNKNOWN counts as false: one comparison does.
      if (missing === 'none') return { if: { '==': [test, { upcast: true, as: ['null', 'boolean'] }] }, then: i, else: rest };
      const p = ctx.symbol('p');
      return { ifnotnull: { [p]: test }, then: { if: p, then: i, else: rest }, else: onUnknown(rest) };
    }, NONE);
    const k = ctx.symbol('child');
    const last = nodeResult(node, ctx, numeric);
    const none = noTrueChild === 'returnLastPrediction' ? last : NULL_RESULT;
    return {
      do: [
        { let: { [k]: select } },
        {
          cond: [...children.map((c, i) => ({ if: { '==': [k, i] }, then: evaluate(c) })), { if: { '==': [k, LAST] }, then: last }, { if: { '==': [k, NULL] }, then: NULL_RESULT }],
          else: none,
        },
      ],
    };
  };

  const rootPred = predicateOf(root);
  if (rootPred.name === 'True') return [evaluate(root)];
  const p = ctx.symbol('p');
  return [{ ifnotnull: { [p]: lowerPredicate(rootPred, ctx, scope) }, then: { if: p, then: evaluate(root), else: NULL_RESULT }, else: NULL_RESULT }];
};
