/**
 * TreeModel missingValueStrategy weightedConfidence and aggregateNodes (classification only): when
 * a child's predicate is UNKNOWN, every child from the first on up to the first TRUE one that is not
 * FALSE is followed, and their results are combined into a virtual node.
 * - weightedConfidence: each followed child's confidences (its ScoreDistribution confidence, else
 *   its probability or recordCount share), weighted by the child's recordCount over its parent's;
 * - aggregateNodes: the ScoreDistribution recordCounts of every leaf reached are added up, and the
 *   totals are turned into shares once, at the root.
 * Both apply recursively, and each subtree is lowered once: a node binds its children's statuses
 * (0 FALSE, 1 TRUE, 2 UNKNOWN; 0 after the first TRUE) and the result of every followed child, then
 * either keeps the one TRUE child's result or combines the followed ones.
 */
import type { XmlElement } from '../xml.js';
import { childrenNamed } from '../xml.js';
import { type LowerContext, NULL_RESULT, type Scope, lit, result } from './context.js';
import { member, type Pfa, type Ref } from './builder.js';
import { lowerPredicate, predicateChild } from './predicate.js';
import { nodeResult } from './tree-node.js';

const DOUBLES = { type: 'array', items: 'double' };
const STRINGS = { type: 'array', items: 'string' };

type Strategy = 'weightedConfidence' | 'aggregateNodes';

export function lowerCombiningTree(model: XmlElement, root: XmlElement, strategy: Strategy, ctx: LowerContext, scope: Scope): Pfa[] {
  if ((model.attrs.functionName ?? 'regression') !== 'classification')
    ctx.unsupported(model, `missingValueStrategy ${strategy} outside classification`);
  const lastPrediction = (model.attrs.noTrueChildStrategy ?? 'returnNullPrediction') === 'returnLastPrediction';

  // Every category any node scores, in document order: combined maps hold them all, and ties go to the first.
  const classes: string[] = [];
  const collect = (node: XmlElement): void => {
    for (const d of childrenNamed(node, 'ScoreDistribution'))
      if (!classes.includes(ctx.attr(d, 'value'))) classes.push(ctx.attr(d, 'value'));
    childrenNamed(node, 'Node').forEach(collect);
  };
  collect(root);
  const zeros = { type: { type: 'map', values: 'double' }, value: Object.fromEntries(classes.map((c) => [c, 0])) };

  /** A node's own result; its probs hold the values this strategy combines. */
  const own = (node: XmlElement): Pfa => {
    const dist = childrenNamed(node, 'ScoreDistribution');
    if (strategy === 'weightedConfidence' && !dist.some((d) => d.attrs.confidence !== undefined))
      return nodeResult(node, ctx, false, false);
    const key = strategy === 'weightedConfidence' ? 'confidence' : 'recordCount';
    return nodeResult(node, ctx, false, false, Object.fromEntries(dist.map((d) => [ctx.attr(d, 'value'), ctx.number(d, key, 0)])));
  };

  const recordCount = (node: XmlElement): number => ctx.number(node, 'recordCount');

  /** The sum of the followed children's probs, each scaled by its weight; the winner is its largest entry. */
  const combine = (node: XmlElement, children: XmlElement[], status: Ref[], results: Ref[]): Pfa => {
    const probs = ctx.symbol('probs');
    const terms = children.map((c, i): Pfa => {
      const weight = strategy === 'weightedConfidence' ? recordCount(c) / recordCount(node) : 1;
      return { if: { '!=': [status[i], 0] }, then: { 'la.scale': [member(results[i], 'probs'), weight] }, else: zeros };
    });
    const scores = { new: classes.map((c) => ({ attr: probs, path: [lit.string(c)] })), type: DOUBLES };
    return {
      do: [
        { let: { [probs]: terms.reduce((a: Pfa, b) => ({ 'la.add': [a, b] }), zeros) } },
        result({
          label: { upcast: { attr: { type: STRINGS, value: classes }, path: [{ 'a.argmax': [scores] }] }, as: ['null', 'string'] },
          probs,
        }),
      ],
    };
  };

  const evaluate = (node: XmlElement): Pfa => {
    const children = childrenNamed(node, 'Node');
    if (children.length === 0) return own(node);
    const status = children.map(() => ctx.symbol('s'));
    const results = children.map(() => ctx.symbol('r'));
    const lets: Pfa[] = [];
    let open: Pfa = true; // no earlier child is TRUE
    children.forEach((c, i) => {
      const pred = predicateChild(c) ?? ctx.fail(c, 'pmml-invalid', 'Node has no predicate');
      const p = ctx.symbol('p');
      const test =
        pred.name === 'True' ? 1 : { ifnotnull: { [p]: lowerPredicate(pred, ctx, scope) }, then: { if: p, then: 1, else: 0 }, else: 2 };
      lets.push({ let: { [status[i]!]: open === true ? test : { if: open, then: test, else: 0 } } });
      open = open === true ? { '!=': [status[i], 1] } : { '&&': [open, { '!=': [status[i], 1] }] };
    });
    for (const [i, c] of children.entries())
      lets.push({ let: { [results[i]!]: { if: { '!=': [status[i], 0] }, then: evaluate(c), else: NULL_RESULT } } });
    const unknown = status.map((s): Pfa => ({ '==': [s, 2] })).reduce((a, b) => ({ '||': [a, b] }));
    const descend = {
      cond: status.map((s, i) => ({ if: { '==': [s, 1] }, then: results[i] })),
      else: lastPrediction ? own(node) : NULL_RESULT,
    };
    return { do: [...lets, { if: unknown, then: combine(node, children, status, results), else: descend }] };
  };

  const rootPred = predicateChild(root) ?? ctx.fail(root, 'pmml-invalid', 'Node has no predicate');
  const p = ctx.symbol('p');
  let body = evaluate(root);
  if (strategy === 'aggregateNodes') body = shares(body, ctx);
  if (rootPred.name === 'True') return [body];
  return [{ ifnotnull: { [p]: lowerPredicate(rootPred, ctx, scope) }, then: { if: p, then: body, else: NULL_RESULT }, else: NULL_RESULT }];
}

/** Recordcount totals turned into shares of their sum (a result without counts is left as it is). */
function shares(body: Pfa, ctx: LowerContext): Pfa {
  const r = ctx.symbol('r');
  const total = ctx.symbol('total');
  const field = (name: string): Pfa => ({ attr: r, path: [lit.string(name)] });
  return {
    do: [
      { let: { [r]: body } },
      { let: { [total]: { 'a.sum': [{ 'map.values': [field('probs')] }] } } },
      {
        if: { '>': [total, 0] },
        then: result({
          number: field('number'),
          label: field('label'),
          probs: { 'la.scale': [field('probs'), { '/': [1, total] }] },
          entity: field('entity'),
          affinities: field('affinities'),
          reasons: field('reasons'),
        }),
        else: r,
      },
    ],
  };
}
