/**
 * The type of a part of a document that failed to parse or check, once its problem is recorded
 * (`check` goes on after it). It is a bottom type, so it fits wherever a type is expected and the
 * enclosing expression raises no error of its own; the checker also marks every use of it as
 * tainted (problems.ts), so that an error that still follows from it is known for a cascade.
 *
 * It is a distinct object: identity tells it from the bottom type of `error` forms, which is an
 * ordinary type with rules of its own (it is no value to bind).
 */
import type { AvroType, BottomType } from '../../avro/types.js';

export const ERROR_TYPE: BottomType = Object.freeze({ kind: 'bottom' }) as BottomType;

/** ERROR_TYPE where a data type is expected (a symbol's, a cell's): nothing reads it but the checker. */
export const ERROR_DATA_TYPE = ERROR_TYPE as unknown as AvroType;

export function isErrorType(t: unknown): boolean {
  return t === ERROR_TYPE;
}
