/**
 * @deprecated The string-based interface of code generation, kept only for
 * src/pfa/compile/specialize/tree.ts while it moves to src/codegen/ (Code, Scope, `code`). Every
 * new emitter uses src/codegen/, whose kernels accept only Code.
 *
 * The adapter still quotes everything: numbers through the same exact quoting as `code`, strings
 * through the same string quoting, field names only after the identifier check, bound names only
 * if they are identifiers. What the caller writes around them is its own fixed text.
 */
import { mint, mintName, numberSource, stringSource } from './codegen/code.js';
import { isIdentifier as isPropertyName } from './codegen/property.js';
import { compileBound } from './codegen/kernel.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** @deprecated A number as JS source (src/codegen/: splice it into `code`). */
export function num(x: number): string {
  if (typeof x !== 'number') throw new TypeError('internal: num() of a non-number');
  return numberSource(x);
}

/** @deprecated A string as a JS string literal (src/codegen/: splice it into `code`). */
export function str(s: string): string {
  if (typeof s !== 'string') throw new TypeError('internal: str() of a non-string');
  return stringSource(s);
}

/** @deprecated Whether a record field name may be emitted as `.name` (src/codegen/: `property`). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && isPropertyName(name);
}

/** @deprecated `.name` for a validated field name (src/codegen/: `property`). */
export function field(name: string): string {
  if (!isIdentifier(name)) throw new TypeError(`internal: field name ${str(name)} is not an identifier`);
  return `.${name}`;
}

/** @deprecated See `compileKernel`. */
export interface KernelSource {
  readonly params: readonly string[];
  readonly body: string;
  readonly prelude?: string;
  readonly bound?: Readonly<Record<string, unknown>>;
}

/**
 * @deprecated `function (params) { body }` from strings, for tree.ts until it builds Code. The
 * names are checked as identifiers; the body is the caller's text, built with `num`, `str` and `field`.
 */
export function compileKernel<F>({ params, body, prelude = '', bound = {} }: KernelSource): F {
  const names = Object.keys(bound);
  for (const n of [...names, ...params]) if (!isIdentifier(n)) throw new TypeError(`internal: bad kernel name ${str(n)}`);
  // The caller's names are kept as it spelled them (its body refers to them), checked above.
  return compileBound<F>(
    names.map((n) => [mintName(n), bound[n]] as const),
    params.map(mintName),
    mint(body),
    mint(prelude),
  );
}
