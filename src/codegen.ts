/**
 * The only place Trajan turns text into code. Generated kernels are safe by construction:
 * - every constant is emitted by `num` (numbers that passed a type check) or `str` (the one quoting
 *   function, JSON.stringify, for strings), or passed in as data through `bound` values;
 * - a record field name is emitted only after `field` has checked it against IDENTIFIER;
 * - everything else in the source is written by the specializer itself.
 * No document string is ever spliced into the source raw.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A number as JS source: exact (String gives the shortest text that reads back), NaN, ±Infinity and -0 included. */
export function num(x: number): string {
  if (typeof x !== 'number') throw new TypeError('internal: num() of a non-number');
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  // Parenthesised so that a negative literal is safe after any operator.
  return x < 0 ? `(${String(x)})` : String(x);
}

/** A string as a JS string literal. */
export function str(s: string): string {
  if (typeof s !== 'string') throw new TypeError('internal: str() of a non-string');
  return JSON.stringify(s);
}

/** Whether a record field name may be emitted as `.name` (`__proto__` never: it names an accessor of every object). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && name !== '__proto__';
}

/** `.name` for a validated field name. */
export function field(name: string): string {
  if (!isIdentifier(name)) throw new TypeError(`internal: field name ${str(name)} is not an identifier`);
  return `.${name}`;
}

export interface KernelSource {
  readonly params: readonly string[];
  readonly body: string;
  /** Helper functions the body calls, declared once beside the kernel. */
  readonly prelude?: string;
  /** Values in scope under their keys (names the specializer chose, never from a document). */
  readonly bound?: Readonly<Record<string, unknown>>;
}

/** Builds `function kernel(params) { body }`. */
export function compileKernel<F>({ params, body, prelude = '', bound = {} }: KernelSource): F {
  const names = Object.keys(bound);
  for (const n of [...names, ...params]) if (!isIdentifier(n)) throw new TypeError(`internal: bad kernel name ${str(n)}`);
  const make = new Function(...names, `"use strict";\n${prelude}\nreturn function kernel(${params.join(', ')}) {\n${body}\n};`) as (...values: unknown[]) => F;
  return make(...names.map((n) => bound[n]));
}
