/**
 * The mathjs functions of `_mathjs.ts`, as one part of the browser build loaded by `ready()`
 * (lazy-modules.browser.ts). Named imports, so that the bundler keeps only what these functions
 * need (a namespace import would add 0.5 MB).
 */
import { det, eigs, erf, lusolve, multiply, pinv } from 'mathjs';
import type { MathJs } from './_mathjs.js';

export const math: MathJs = { det, eigs, erf, lusolve, multiply, pinv };
