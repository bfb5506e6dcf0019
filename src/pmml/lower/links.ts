/**
 * The inverse links PMML shares between RegressionModel's normalizationMethod and
 * GeneralRegressionModel's linkFunction and cumulativeLink, on a double expression `y`.
 * PMML's loglog is exp(-exp(-y)); PFA's m.link.loglog is exp(-exp(y)), so it is written out.
 */
import type { Pfa } from './builder.js';

export function probabilityLink(name: string, y: Pfa): Pfa | undefined {
  switch (name) {
    case 'logit':
    case 'probit':
    case 'cloglog':
    case 'cauchit':
      return { [`m.link.${name}`]: [y] };
    case 'loglog':
      return { 'm.exp': [{ 'u-': [{ 'm.exp': [{ 'u-': [y] }] }] }] };
    default:
      return undefined;
  }
}
