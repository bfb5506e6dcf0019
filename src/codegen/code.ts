/**
 * Generated JavaScript as a value: a `Code` is text this module built, from a template literal
 * written in Trajan's own source (`code`), from names a `Scope` allocated, and from values it
 * quoted itself. Nothing outside src/codegen/ can turn a string into a `Code`, so a string from a
 * document can reach `new Function` (kernel.ts) only as a quoted literal.
 */

/** Kept private to src/codegen/: whoever holds it can make a `Code` of any text. */
const MINT: unique symbol = Symbol('codegen');

export class Code {
  /** A private field makes the type nominal: no object literal passes for a Code. */
  readonly #text: string;

  /** @internal Use `code`, `join` or a `Scope`; the token keeps other modules from calling this. */
  constructor(token: typeof MINT, text: string) {
    if (token !== MINT) throw new TypeError('internal: Code is built by src/codegen only');
    this.#text = text;
  }

  /** The source text; read it only to compile or to show it. */
  get text(): string {
    return this.#text;
  }

  toString(): string {
    return this.#text;
  }
}

/** A JS identifier a `Scope` allocated: spliced as it is, unique within its scope. */
export class Name extends Code {
  readonly #name = true;

  /** Whether this is a Name (a Code that is also an identifier). */
  get isName(): boolean {
    return this.#name;
  }
}

/** @internal For scope.ts and the helpers of this folder, never re-exported by index.ts. */
export function mint(text: string): Code {
  return new Code(MINT, text);
}

/** @internal For scope.ts only. */
export function mintName(text: string): Name {
  return new Name(MINT, text);
}

/** A value `code` quotes itself; anything else (objects, arrays, functions, bigints, undefined) must be bound by a Scope. */
export type Literal = number | string | boolean | null;

export type Splice = Code | Literal;

/**
 * A number as an expression that reads back exactly and is safe next to any operator: the
 * shortest text that reads back (String's), parenthesised when negative; NaN and the infinities
 * as divisions, so that no binding of the names `NaN` or `Infinity` can change them.
 */
export function numberSource(x: number): string {
  if (Number.isNaN(x)) return '(0/0)';
  if (x === Infinity) return '(1/0)';
  if (x === -Infinity) return '(-1/0)';
  if (Object.is(x, -0)) return '(-0)';
  return x < 0 ? `(${String(x)})` : String(x);
}

/**
 * A string as a string literal: JSON.stringify's quoting (quotes, backslashes, control
 * characters), and the line and paragraph separators escaped too, which JSON leaves raw.
 */
export function stringSource(s: string): string {
  return JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The source of one spliced value; throws for anything that is neither Code nor a literal. */
export function spliced(value: unknown): string {
  if (value instanceof Code) return value.text;
  switch (typeof value) {
    case 'number':
      return numberSource(value);
    case 'string':
      return stringSource(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (value === null) return 'null';
      throw new TypeError(
        `internal: cannot splice a ${Array.isArray(value) ? 'array' : typeof value} into generated code; bind it to a name`,
      );
  }
}

/**
 * The one way to write generated code: the template's own text is taken as source (it is written
 * in Trajan's files), each `${value}` is spliced by `spliced`: Code and Names as they are, numbers,
 * strings, booleans and null as literals.
 */
export function code(strings: TemplateStringsArray, ...values: readonly Splice[]): Code {
  let text = strings[0]!;
  for (let i = 0; i < values.length; i++) text += spliced(values[i]) + strings[i + 1]!;
  return mint(text);
}

/** Pieces of code joined by a separator that is itself code (`code\`, \``). */
export function join(parts: readonly Splice[], separator: Code = mint('')): Code {
  return mint(parts.map(spliced).join(separator.text));
}

/** Whether a value is generated code (or a name). */
export function isCode(value: unknown): value is Code {
  return value instanceof Code;
}
