/**
 * What one Node of a TreeModel predicts (its score, score distribution and id, as a constant
 * `Result`), and the depth check every tree walk relies on. Shared by the plain walk (tree.ts) and
 * the walks that combine nodes for missing values (tree-missing.ts).
 */
import type { XmlElement } from '../xml.js';
import { childrenNamed } from '../xml.js';
import type { LowerContext } from './context.js';
import type { Pfa } from './builder.js';
import { floatConstant } from './float.js';

/** The per-category probabilities of a node's score distribution: as given, else recordCount shares. */
export function distribution(node: XmlElement, ctx: LowerContext): Record<string, number> {
  const dist = childrenNamed(node, 'ScoreDistribution');
  const counts = dist.map((d) => ctx.number(d, 'recordCount', 0));
  const total = counts.reduce((a, b) => a + b, 0);
  // fromEntries defines own properties: a category named __proto__ stays a category.
  return Object.fromEntries(
    dist.map((d, i) => [
      ctx.attr(d, 'value'),
      d.attrs.probability !== undefined ? ctx.number(d, 'probability') : total > 0 ? counts[i]! / total : 0,
    ]),
  );
}

/** The constant prediction of one node: its score (a float32 in a float model), its score distribution (or `probs`) and its id. */
export function nodeResult(node: XmlElement, ctx: LowerContext, numeric: boolean, float: boolean, probs = distribution(node, ctx)): Pfa {
  const score = node.attrs.score;
  let number: number | null = null;
  if (numeric && score !== undefined) number = floatConstant(ctx.number(node, 'score'), float);
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
