/**
 * The `Result` of a classifier that scores every category: the probabilities by label, and the
 * label of the highest one (the first listed on a tie, as the reference evaluators pick).
 */
import { result } from './context.js';
import type { Pfa, Ref } from './builder.js';

/**
 * `probs` is an array<double> symbol, one probability per label, in the labels' order; `widen`
 * turns the map of them into the result's (one that adds categories, say).
 */
export function classified(labels: readonly string[], probs: Ref, widen: (map: Pfa) => Pfa = (map) => map): Pfa {
  return result({
    label: {
      upcast: { attr: { type: { type: 'array', items: 'string' }, value: labels }, path: [{ 'a.argmax': [probs] }] },
      as: ['null', 'string'],
    },
    probs: widen({
      new: Object.fromEntries(labels.map((c, i) => [c, { attr: probs, path: [i] }])),
      type: { type: 'map', values: 'double' },
    }),
  });
}
