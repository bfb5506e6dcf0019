/**
 * Errors are data: every error Trajan raises for a user's document or input carries a stable `code`
 * and, where one is known, a `location`. The message is only a rendering of those.
 *
 * Static problems (syntax, schema, type checking) use string codes such as `unknown-function`.
 * Runtime errors raised by library functions or the `error` special form carry the specification's
 * numeric codes (18000 for int overflow, ...); engine-level runtime failures (time-outs, depth
 * limits, input that does not fit the input type) use string codes.
 */

import type { TrajanErrorCode } from './error-codes.js';

/**
 * A TrajanError's code: one of Trajan's string codes (`TrajanErrorCode`), a CSV parser's own
 * problem as `csv-` and its name (which Trajan passes on without listing), or a number from the
 * specification (library functions, the `error` form).
 */
export type ErrorCode = TrajanErrorCode | `csv-${string}` | number;

export interface Location {
  /** JSON pointer into a PFA document (`/action/0/+/1`) or an XPath-like path into PMML. */
  readonly pointer?: string;
  /** 1-based line and column in the source text, when the document was parsed from text. */
  readonly line?: number;
  readonly column?: number;
}

export function formatLocation(loc: Location | undefined): string {
  if (!loc) return '';
  if (loc.line !== undefined) return `${loc.line}:${loc.column ?? 1}`;
  return loc.pointer ?? '';
}

export abstract class TrajanError extends Error {
  abstract readonly kind: 'syntax' | 'semantic' | 'initialization' | 'runtime' | 'input';
  readonly code: ErrorCode;
  location: Location | undefined;

  constructor(code: ErrorCode, message: string, location?: Location) {
    super(message);
    this.code = code;
    this.location = location;
  }

  override get name(): string {
    return this.constructor.name;
  }

  toJSON(): { kind: string; code: ErrorCode; message: string; location?: Location } {
    return { kind: this.kind, code: this.code, message: this.message, ...(this.location ? { location: this.location } : {}) };
  }
}

/** The document is not well-formed: bad JSON/YAML/XML, wrong shape, invalid schema. */
export class PfaSyntaxError extends TrajanError {
  readonly kind = 'syntax' as const;
}

/** The document is well-formed but wrong: types do not match, unknown names, bad assignments. */
export class PfaSemanticError extends TrajanError {
  readonly kind = 'semantic' as const;
}

/** A document that checked could not be brought up: a cell or pool `init` or `begin` failed. */
export class PfaInitializationError extends TrajanError {
  readonly kind = 'initialization' as const;
}

/** Raised while scoring. */
export class PfaRuntimeError extends TrajanError {
  readonly kind = 'runtime' as const;
  /** The library function that raised it, when one did. */
  readonly fcnName: string | undefined;

  constructor(code: ErrorCode, message: string, fcnName?: string, location?: Location) {
    super(code, message, location);
    this.fcnName = fcnName;
  }
}

/**
 * A value given to a model (an input record, JSON to convert) does not fit its type, or is too deep
 * or too large to read safely. The location's pointer is the path inside the value.
 */
export class InputError extends TrajanError {
  readonly kind = 'input' as const;
}

/**
 * A model file that cannot be read: missing (`file-not-found`), not a readable file
 * (`file-unreadable`), or larger than a document may be (`too-large`). Its kind is `syntax`, as for
 * any source that cannot be read; `path` is the file's path as given.
 */
export class ModelFileError extends TrajanError {
  readonly kind = 'syntax' as const;

  constructor(
    code: 'file-not-found' | 'file-unreadable' | 'too-large',
    message: string,
    readonly path: string,
  ) {
    super(code, message);
  }

  override toJSON(): ReturnType<TrajanError['toJSON']> & { path: string } {
    return { ...super.toJSON(), path: this.path };
  }
}

/**
 * Library functions raise their numbered errors through this helper so the function name is
 * attached uniformly.
 */
export function runtimeError(code: number, message: string, fcnName?: string): PfaRuntimeError {
  return new PfaRuntimeError(code, message, fcnName);
}
