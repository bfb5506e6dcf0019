/**
 * PFA namespace `prob.dist`: density (or log-likelihood), CDF and quantile function of sixteen
 * distributions. The families live in `dist/`; see `dist/_family.ts` for the shared contract.
 */
import { defineLibrary } from '../define.js';
import { continuous } from './dist/continuous.js';
import { discrete } from './dist/discrete.js';

export default defineLibrary('prob.dist', { ...continuous, ...discrete });
