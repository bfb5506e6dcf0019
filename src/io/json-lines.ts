/**
 * JSON Lines in: the byte stream is cut at newlines (a newline byte never occurs inside a UTF-8
 * character), each line is checked to be UTF-8 and parsed. Integers of 16 or more digits may not
 * survive a double, so lines holding one are parsed exactly, as PFA documents are: an integer
 * beyond 2^53 becomes a bigint with every digit, while numbers written with a point or exponent
 * stay doubles. Other lines take the fast JSON.parse.
 */
import { isUtf8 } from 'node:buffer';
import { isSafeNumber, parse as parseLossless } from 'lossless-json';
import { MAX_NESTING, MAX_RECORD_BYTES, nestsDeeperThan, RowError } from './input-error.js';

/** 16 digits not after a point or another digit: the start of an integer part that long. */
const LONG_INTEGER = /(?:^|[^.\d])\d{16}/;
const INTEGER = /^-?\d+$/;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function exactNumber(digits: string): number | bigint {
  if (isSafeNumber(digits)) return Number(digits);
  return INTEGER.test(digits) ? BigInt(digits) : Number(digits);
}

const takeLast = ({ newValue }: { newValue: unknown }): unknown => newValue;

/** One line as a JSON value; throws RowError when it is not JSON or nests too deeply. */
export function parseJsonLine(text: string): unknown {
  const exact = LONG_INTEGER.test(text);
  // A line shorter than the nesting limit cannot nest deeper than it; longer ones are measured on
  // JSON.parse's result (which does not recurse) before the exact parser (which does) sees them.
  const long = text.length > MAX_NESTING;
  if (!exact || long) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new RowError('json-syntax', `malformed JSON: ${(e as Error).message}`);
    }
    if (long && nestsDeeperThan(value, MAX_NESTING)) throw new RowError('too-deep', `nested deeper than ${MAX_NESTING} levels`);
    if (!exact) return value;
  }
  try {
    // Duplicate keys keep the last value, as JSON.parse does for the other lines.
    return parseLossless(text, null, { parseNumber: exactNumber, onDuplicateKey: takeLast });
  } catch (e) {
    throw new RowError('json-syntax', `malformed JSON: ${(e as Error).message}`);
  }
}

export type Line =
  | { readonly number: number; readonly text: string }
  | { readonly number: number; readonly error: RowError; readonly text?: string };

/** The error of a line longer than `maxBytes`. */
export function overlongLine(bytes: number, maxBytes = MAX_RECORD_BYTES): RowError {
  return new RowError('line-too-long', `line of ${bytes} bytes is longer than the limit of ${maxBytes}`);
}

function lineOf(number: number, bytes: Buffer, maxBytes: number): Line {
  if (bytes.length > maxBytes) return { number, error: overlongLine(bytes.length, maxBytes) };
  const text = bytes.toString('utf8');
  if (!isUtf8(bytes)) return { number, text, error: new RowError('invalid-utf8', 'line is not valid UTF-8') };
  return { number, text: text.endsWith('\r') ? text.slice(0, -1) : text };
}

/**
 * The lines of a byte stream, numbered from 1, with no line held longer than `maxBytes` (the rest
 * of an overlong line is skipped and the line reported as too long). A byte order mark is dropped
 * at the start of a file, not at the start of a piece cut from the middle of one (`bom` false).
 */
export async function* splitLines(input: AsyncIterable<Buffer | string>, maxBytes = MAX_RECORD_BYTES, bom = true): AsyncGenerator<Line[]> {
  let carried: Buffer[] = [];
  let carriedBytes = 0;
  let overlong = 0; // bytes of an overlong line skipped so far
  let number = 0;
  let first = bom;
  for await (const piece of input) {
    let chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    if (first && chunk.length) {
      if (chunk.subarray(0, 3).equals(BOM)) chunk = chunk.subarray(3);
      first = false;
    }
    const last = chunk.lastIndexOf(10);
    if (last < 0) {
      if (overlong) overlong += chunk.length;
      else {
        carried.push(chunk);
        carriedBytes += chunk.length;
        if (carriedBytes > maxBytes) {
          overlong = carriedBytes;
          carried = [];
          carriedBytes = 0;
        }
      }
      continue;
    }
    const lines: Line[] = [];
    let start = 0;
    if (overlong) {
      // The overlong line ends at this chunk's first newline.
      const nl = chunk.indexOf(10);
      overlong += nl;
      lines.push({ number: ++number, error: overlongLine(overlong, maxBytes) });
      overlong = 0;
      start = nl + 1;
    }
    const body = carried.length ? Buffer.concat([...carried, chunk.subarray(start, last)]) : chunk.subarray(start, last);
    carried = [];
    carriedBytes = 0;
    if (start <= last) {
      if (body.length <= maxBytes && isUtf8(body)) {
        // The usual case: one decode for every complete line of the chunk.
        for (const text of body.toString('utf8').split('\n')) {
          number++;
          lines.push({ number, text: text.endsWith('\r') ? text.slice(0, -1) : text });
        }
      } else {
        let s = 0;
        for (;;) {
          const nl = body.indexOf(10, s);
          lines.push(lineOf(++number, body.subarray(s, nl < 0 ? body.length : nl), maxBytes));
          if (nl < 0) break;
          s = nl + 1;
        }
      }
    }
    const rest = chunk.subarray(last + 1);
    if (rest.length) {
      carried.push(rest);
      carriedBytes = rest.length;
    }
    yield lines;
  }
  if (overlong) yield [{ number: ++number, error: overlongLine(overlong, maxBytes) }];
  else if (carried.length) yield [lineOf(++number, Buffer.concat(carried), maxBytes)];
}
