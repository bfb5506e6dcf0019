/**
 * The packages only the command line and the server need are optional dependencies of trajan
 * (package.json): a plain `npm install trajan` installs them, `npm install trajan --omit=optional`
 * leaves them out for a library that only loads and scores models. What needs one of them and
 * finds it missing fails with a `missing-dependency` error that names the package to install,
 * rather than with Node's module-not-found error.
 */
import { createRequire } from 'node:module';
import { DependencyError } from './dependency-error.js';

/** package.json's optionalDependencies (a spec checks the two lists agree). */
export const OPTIONAL_PACKAGES = [
  'cli-progress',
  'csv-parse',
  'csv-stringify',
  'fastify',
  'light-my-request',
  'piscina',
  'prom-client',
] as const;

export type OptionalPackage = (typeof OPTIONAL_PACKAGES)[number];

const require = createRequire(import.meta.url);

function missing(name: string, forWhat: string): DependencyError {
  return new DependencyError(
    'missing-dependency',
    `${forWhat} needs the package "${name}", which is not installed (trajan installed with --omit=optional?): run \`npm install ${name}\``,
    name,
  );
}

/** The optional package a module-not-found error is about, if it is one of ours. */
function missingPackage(e: unknown): OptionalPackage | undefined {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (!err || (err.code !== 'ERR_MODULE_NOT_FOUND' && err.code !== 'MODULE_NOT_FOUND') || typeof err.message !== 'string') return undefined;
  // Node names the package in quotes: "Cannot find package 'fastify' imported from ..." (import)
  // or "Cannot find module 'fastify'" (require).
  const named = /Cannot find (?:package|module) '([^']+)'/.exec(err.message)?.[1];
  return OPTIONAL_PACKAGES.find((p) => named === p || named?.startsWith(`${p}/`));
}

/**
 * `e` as a `missing-dependency` error when it says that one of the optional packages is missing,
 * else `e` itself.
 */
export function asMissingDependency(e: unknown, forWhat: string): unknown {
  const name = missingPackage(e);
  return name ? missing(name, forWhat) : e;
}

/** `await import(...)` of a module that needs optional packages, with their absence reported as such. */
export async function importNeeding<T>(load: () => Promise<T>, forWhat: string): Promise<T> {
  try {
    return await load();
  } catch (e) {
    throw asMissingDependency(e, forWhat);
  }
}

/** `require(name)` of an optional package (synchronous), with its absence reported as such. */
export function requireOptional<T>(name: OptionalPackage, forWhat: string): T {
  try {
    return require(name) as T;
  } catch (e) {
    throw asMissingDependency(e, forWhat);
  }
}
