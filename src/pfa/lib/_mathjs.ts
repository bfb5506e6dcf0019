/**
 * mathjs, loaded on first use. It serves a handful of library functions (`la.dot`, `la.inverse`,
 * `la.det`, `la.eigenBasis`, both `mahalanobis`, `m.special.erf`), yet importing it builds every one
 * of its typed functions: 1.4-1.5 s and about 85 MB of RSS on Node 20, more than half of what
 * `import('trajan')` cost while it was a static import. So it is loaded the first time a document
 * that calls one of those functions is checked or compiled (their `make` calls `mathjs()`), never
 * by importing the library.
 *
 * The load must stay synchronous, as checking and compiling are, so it goes through `require` and
 * mathjs's CommonJS build (its `exports` map has a `require` condition), which computes the same
 * values as its ES module build. The browser bundle replaces this file with `_mathjs.browser.ts`,
 * a static import (scripts/build-browser.ts): a browser has no `require`.
 */
import { createRequire } from 'node:module';
import type * as MathJsNamespace from 'mathjs';

/** The mathjs functions the library calls. */
export type MathJs = Pick<typeof MathJsNamespace, 'det' | 'eigs' | 'erf' | 'lusolve' | 'multiply' | 'pinv'>;

let loaded: MathJs | undefined;

/** mathjs, loaded on the first call. */
export function mathjs(): MathJs {
  return (loaded ??= createRequire(import.meta.url)('mathjs') as MathJs);
}
