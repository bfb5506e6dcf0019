/**
 * `lazy-modules.ts` for the browser bundle (scripts/build-browser.ts swaps it in). A browser has no
 * synchronous `require`, and checking and compiling are synchronous, so the packages a document
 * may need are separate files of the bundle: yaml, avsc (its types-only entry: Avro binary for
 * `cast.avro` and `map.*`), re2js, luxon, stdlib and mathjs, loaded by
 * `await ready()`. Until then, loading a document that needs one of them fails with a
 * `module-not-ready` error that says so. `trajan/browser-pmml` awaits `ready()` when it loads.
 */
import { DependencyError } from './dependency-error.js';
import type { StdlibFn, StdlibName } from './lazy-stdlib.js';
import { loadMathjs } from './pfa/lib/_mathjs.browser.js';

export type { StdlibFn, StdlibName } from './lazy-stdlib.js';

interface Parts {
  yaml: typeof import('yaml');
  avsc: typeof import('avsc');
  re2js: typeof import('re2js');
  luxon: typeof import('luxon');
  stdlib: Readonly<Record<StdlibName, StdlibFn>>;
}

let parts: Parts | undefined;

function part<K extends keyof Parts>(name: K, what: string): Parts[K] {
  if (!parts)
    throw new DependencyError(
      'module-not-ready',
      `${what} is loaded on demand in the browser build: await ready() before loading this document`,
      name,
    );
  return parts[name];
}

export const avsc = (): typeof import('avsc') => part('avsc', 'Avro binary encoding (avsc)');
export const yaml = (): typeof import('yaml') => part('yaml', 'YAML');
export const re2js = (): typeof import('re2js') => part('re2js', 'the regular expression engine (re2js)');
export const luxon = (): typeof import('luxon') => part('luxon', 'the time zone library (luxon)');
export const stdlib = (name: StdlibName): StdlibFn => part('stdlib', 'stdlib (probability distributions)')[name];

let loading: Promise<void> | undefined;

/** Loads every part that is loaded on demand; once, however often it is called. */
export function ready(): Promise<void> {
  return (loading ??= (async () => {
    const [yaml, avsc, re2js, luxon, stdlib] = await Promise.all([
      import('yaml'),
      // A CommonJS module imported dynamically: its exports are the namespace's default.
      import('avsc').then((m) => ((m as { default?: unknown }).default ?? m) as typeof import('avsc')),
      import('re2js'),
      import('luxon'),
      import('./lazy-stdlib.browser-part.js').then((m) => m.STDLIB),
      loadMathjs(),
    ]);
    parts = { yaml, avsc, re2js, luxon, stdlib };
  })());
}
