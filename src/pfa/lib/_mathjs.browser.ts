/**
 * `_mathjs.ts` for the browser bundle (scripts/build-browser.ts swaps it in): a browser has no
 * synchronous `require`, so mathjs is a separate part of the bundle, loaded by `ready()`
 * (lazy-modules.browser.ts) before documents that call it are compiled.
 */
import { DependencyError } from '../../dependency-error.js';
import type { MathJs } from './_mathjs.js';

let math: MathJs | undefined;

export async function loadMathjs(): Promise<void> {
  math ??= (await import('./_mathjs.browser-part.js')).math;
}

export function mathjs(): MathJs {
  if (!math)
    throw new DependencyError(
      'module-not-ready',
      'mathjs is loaded on demand in the browser build: await ready() before loading this document',
      'mathjs',
    );
  return math;
}
