/**
 * AnomalyDetectionModel: the embedded model's prediction turned into an anomaly score.
 * - iforest: the embedded model predicts an average path length E; the score is 2^(-E / c(n)) with
 *   n the sampleDataSize and c(n) = 2 H(n - 1) - 2 (n - 1) / n, H(x) ~ ln(x) + 0.57721566 as the
 *   PMML specification writes it;
 * - clusterMeanDist: the distance to the winning cluster over that cluster's MeanClusterDistances entry;
 * - ocsvm: the embedded model's value as it is.
 */
import { child } from '../xml.js';
import { lit, result } from './context.js';
import { member, type Pfa } from './builder.js';
import { arrayChild } from './arrays.js';
import { clusterIds } from './clustering.js';
import { MODEL_ELEMENTS, type FamilyLowering } from './family.js';

const EULER_APPROXIMATION = 0.57721566;

export const lowerAnomaly: FamilyLowering = (model, ctx, scope, env) => {
  const inner =
    model.children.find((c) => MODEL_ELEMENTS.has(c.name)) ?? ctx.fail(model, 'pmml-invalid', 'AnomalyDetectionModel needs a model');
  const lowered = env.lower(inner, scope);
  const r = lowered.result;
  const algorithm = ctx.attr(model, 'algorithmType');
  const some = (x: Pfa): Pfa => ({ upcast: x, as: ['null', 'double'] });
  let score: Pfa;
  switch (algorithm) {
    case 'iforest': {
      const n = ctx.number(model, 'sampleDataSize');
      const c = n > 2 ? 2 * (Math.log(n - 1) + EULER_APPROXIMATION) - (2 * (n - 1)) / n : n === 2 ? 1 : 0;
      const e = ctx.symbol('e');
      score = {
        ifnotnull: { [e]: member(r, 'number') },
        then: some({ '**': [2.0, { 'u-': [{ '/': [e, lit.double(c)] }] }] }),
        else: lit.missing('double'),
      };
      break;
    }
    case 'clusterMeanDist': {
      if (inner.name !== 'ClusteringModel') ctx.fail(inner, 'pmml-invalid', 'clusterMeanDist needs a ClusteringModel');
      const means = arrayChild(
        child(model, 'MeanClusterDistances') ?? ctx.fail(model, 'pmml-invalid', 'clusterMeanDist needs MeanClusterDistances'),
        ctx,
      );
      const ids = clusterIds(inner);
      if (means.length !== ids.length) ctx.fail(model, 'pmml-invalid', `${means.length} mean distances for ${ids.length} clusters`);
      const table = { type: { type: 'map', values: 'double' }, value: Object.fromEntries(ids.map((id, i) => [id, means[i]!])) };
      const l = ctx.symbol('l');
      score = {
        ifnotnull: { [l]: member(r, 'label') },
        then: some({
          '/': [
            { attr: member(r, 'affinities'), path: [l] },
            { attr: table, path: [l] },
          ],
        }),
        else: lit.missing('double'),
      };
      break;
    }
    case 'ocsvm':
      score = member(r, 'number');
      break;
    default:
      return ctx.unsupported(model, `algorithmType ${algorithm}`);
  }
  return [...lowered.statements, result({ number: score })];
};
