/**
 * A package Trajan needs for what was asked is not there: an optional dependency of the command
 * line or the server that was not installed (`missing-dependency`), or, in the browser build, a
 * part loaded on demand that was not loaded yet (`module-not-ready`). Its kind is `initialization`:
 * nothing about the document or the input is wrong, the program could not be brought up.
 */
import { TrajanError } from './errors.js';

export class DependencyError extends TrajanError {
  readonly kind = 'initialization' as const;

  constructor(
    code: 'missing-dependency' | 'module-not-ready',
    message: string,
    /** The npm package (or browser part) that is missing. */
    readonly packageName: string,
  ) {
    super(code, message);
  }
}
