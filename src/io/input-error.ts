/**
 * How batch input goes wrong. A file that cannot be read past some point (a truncated or corrupt
 * Avro container, a CSV quote that never closes) ends the run with an `InputError` naming the first
 * record it could not read: rows after it are lost, so the run must not look complete. A single
 * unreadable row (a line that is not JSON, a CSV row of the wrong width) is a `RowError`: that row
 * is rejected and the run goes on.
 */
import { TrajanError, type Location } from '../errors.js';
import type { TrajanErrorCode } from '../error-codes.js';

export class InputError extends TrajanError {
  readonly kind = 'syntax' as const;

  constructor(
    code: TrajanErrorCode | `csv-${string}`,
    message: string,
    /** 1-based number of the first record that could not be read. */
    readonly record: number,
    location?: Location,
  ) {
    super(code, message, location);
  }

  override toJSON(): ReturnType<TrajanError['toJSON']> & { record: number } {
    return { ...super.toJSON(), record: this.record };
  }
}

/** One row that cannot be read; the readers turn it into a rejected row. */
export class RowError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Bytes one record may take: a JSON line, a CSV record, an Avro block (before and after
 * decompression). Memory stays bounded whatever the file claims.
 */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * Nesting of arrays and objects allowed in one row. Checked when the row is read, so everything
 * after (tagging unions, sending to a worker thread, writing the rejects file) may recurse safely.
 */
export const MAX_NESTING = 1000;

/** Whether a parsed JSON value nests deeper than `max`, found without recursion. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: [object, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
