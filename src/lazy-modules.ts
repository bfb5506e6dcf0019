/**
 * The heavier dependencies of the core, each loaded the first time something needs it rather than
 * when `trajan` is imported: importing them all up front cost about 0.7 s of CPU and 45 MB of
 * memory, mostly for parts a given document never uses. The loading points:
 * - yaml: when a YAML document is parsed (or located in);
 * - avsc: when a type's Avro binary encoding is first needed (`cast.avro`, `map.*`, Avro files);
 * - re2js, luxon, stdlib: when a document calling a regex, time or distribution function is
 *   checked or compiled (the library's `make` calls the accessor; scoring never does).
 *
 * Checking and compiling are synchronous, so the loads go through `require` and each package's
 * CommonJS build (each ships one: yaml and the stdlib packages are CommonJS only; luxon and
 * re2js name theirs under the `require` condition). The browser bundle replaces this file with `lazy-modules.browser.ts` (scripts/build-browser.ts).
 */
import { createRequire } from 'node:module';
import type { StdlibFn, StdlibName } from './lazy-stdlib.js';

export type { StdlibFn, StdlibName } from './lazy-stdlib.js';

const require = createRequire(import.meta.url);

/** `load` once, on the first call. */
function once<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

export const yaml = once(() => require('yaml') as typeof import('yaml'));
export const re2js = once(() => require('re2js') as typeof import('re2js'));
export const luxon = once(() => require('luxon') as typeof import('luxon'));
export const avsc = once(() => require('avsc') as typeof import('avsc'));

const stdlibLoaded = new Map<StdlibName, StdlibFn>();

/** One function of stdlib (`stats-base-dists-beta-cdf` is `@stdlib/stats-base-dists-beta-cdf`). */
export function stdlib(name: StdlibName): StdlibFn {
  let fn = stdlibLoaded.get(name);
  if (!fn) stdlibLoaded.set(name, (fn = require(`@stdlib/${name}`) as StdlibFn));
  return fn;
}

/** Node loads every part on demand: nothing to wait for (the browser build's twin has work here). */
export async function ready(): Promise<void> {}
