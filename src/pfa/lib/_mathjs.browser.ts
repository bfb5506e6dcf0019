/**
 * `_mathjs.ts` for the browser bundle (scripts/build-browser.ts swaps it in): a browser has no
 * `require`, and the bundle holds mathjs either way, so it is imported statically. Named imports,
 * so that the bundler keeps only what these functions need (a namespace import would add 0.5 MB).
 */
import { det, eigs, erf, lusolve, multiply, pinv } from 'mathjs';
import type { MathJs } from './_mathjs.js';

const math: MathJs = { det, eigs, erf, lusolve, multiply, pinv };

export function mathjs(): MathJs {
  return math;
}
