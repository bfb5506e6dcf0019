/**
 * The calling thread's part of `trajan score --threads`: it reads bytes and cuts them into chunks
 * of whole records, without decoding them, so that decoding, scoring and encoding all happen in the
 * worker threads. A JSON Lines chunk ends at a newline. A CSV chunk ends at a newline outside
 * quotes, and every CSV chunk is read after the file's header record (`head`), so a thread reads it
 * as the file's own reader would. What a thread cannot know from its chunk alone travels with it:
 * the line its bytes start on (for the CSV parser's messages) and whether bytes before them were
 * not UTF-8.
 */
import { MAX_RECORD_BYTES } from '../io/input-error.js';
import { Utf8Watch } from './utf8-gate.js';

export interface ByteChunk {
  /** Whole records; the last chunk may end without a newline. */
  readonly bytes: Buffer;
  /** Newlines in `bytes` (plus one for a last line without one): at most this many rows. */
  readonly lines: number;
  /** 1-based line of the file that `bytes` starts on. */
  readonly firstLine: number;
  /** Whether bytes before the chunk's end were not UTF-8 (CSV; JSON Lines checks each line). */
  readonly invalidBefore: boolean;
  /** JSON Lines: after the chunk's lines comes one too long to hold, of this many bytes. */
  readonly overlong?: number;
}

export type CsvPiece =
  | { readonly kind: 'head'; readonly head: Buffer }
  | ({ readonly kind: 'chunk' } & ByteChunk)
  /**
   * The header could not be found in the first bytes, or records may end at a lone CR (a file
   * the CSV parser would cut there, not at newlines): the run is read by one reader instead,
   * from `consumed` and then the rest of the stream.
   */
  | { readonly kind: 'whole'; readonly consumed: Buffer[] };

const NL = 10;
const CR = 13;
const QUOTE = 34;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const EMPTY = Buffer.alloc(0);

const asBuffer = (piece: Buffer | string): Buffer => (typeof piece === 'string' ? Buffer.from(piece) : piece);

function newlines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(NL); i >= 0; i = b.indexOf(NL, i + 1)) n++;
  return n;
}

/** Lines of a chunk: its newlines, and one more for a last line that has none. */
const linesOf = (b: Buffer): number => newlines(b) + (b.length && b[b.length - 1] !== NL ? 1 : 0);

/** Pulls pieces one by one, so that the stream can be handed on unfinished (`for await` would end it). */
async function next(pieces: AsyncIterator<Buffer | string>): Promise<Buffer | undefined> {
  const r = await pieces.next();
  return r.done ? undefined : asBuffer(r.value);
}

/**
 * JSON Lines in chunks of at least `target` bytes (but for the last). A line longer than `maxBytes`
 * is not held: its length is counted and it follows the chunk before it as `overlong`, as the
 * reader of the whole file reports it.
 */
export async function* jsonLineChunks(
  pieces: AsyncIterator<Buffer | string>,
  target: number,
  maxBytes = MAX_RECORD_BYTES,
): AsyncGenerator<ByteChunk> {
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let overlong = 0;
  let line = 1;
  let first = true;
  const chunk = (bytes: Buffer, over?: number): ByteChunk => {
    const c: ByteChunk = {
      bytes,
      lines: linesOf(bytes) + (over === undefined ? 0 : 1),
      firstLine: line,
      invalidBefore: false,
      ...(over === undefined ? {} : { overlong: over }),
    };
    line += c.lines;
    return c;
  };
  for (let piece = await next(pieces); piece; piece = await next(pieces)) {
    if (first && piece.length) {
      // The byte order mark belongs to the file, not to its first line.
      if (piece.subarray(0, 3).equals(BOM)) piece = piece.subarray(3);
      first = false;
    }
    if (overlong) {
      const nl = piece.indexOf(NL);
      if (nl < 0) {
        overlong += piece.length;
        continue;
      }
      yield chunk(EMPTY, overlong + nl);
      overlong = 0;
      piece = piece.subarray(nl + 1);
    }
    carry.push(piece);
    carryBytes += piece.length;
    if (carryBytes < target) continue;
    // Cut after the carry's last newline; what follows it has none.
    let at = carry.length - 1;
    while (at >= 0 && carry[at]!.lastIndexOf(NL) < 0) at--;
    if (at >= 0) {
      const nl = carry[at]!.lastIndexOf(NL);
      const rest = [carry[at]!.subarray(nl + 1), ...carry.slice(at + 1)];
      yield chunk(Buffer.concat([...carry.slice(0, at), carry[at]!.subarray(0, nl + 1)]));
      carry = rest;
      carryBytes = rest.reduce((n, b) => n + b.length, 0);
    }
    if (carryBytes > maxBytes) {
      overlong = carryBytes;
      carry = [];
      carryBytes = 0;
    }
  }
  if (overlong) yield chunk(EMPTY, overlong);
  else if (carryBytes) yield chunk(Buffer.concat(carry));
}

/** Where a piece of CSV may be cut, given whether it starts inside quotes. */
interface Scan {
  /** Whether the piece ends inside quotes. */
  readonly inQuote: boolean;
  /** Just after the piece's last record end outside quotes, or -1. */
  readonly cut: number;
}

/**
 * Scans a piece for record ends outside quotes. With `crlf` (the header ended with CR LF, so the
 * parser ends records only there), a newline not after a CR is data; `afterCr` says whether the
 * piece before ended with a CR.
 */
function scan(b: Buffer, inQuote: boolean, crlf: boolean, afterCr: boolean): Scan {
  // A doubled quote inside a quoted field flips the state twice, so counting quotes is enough for
  // the CSV the reader accepts; a stray quote is an error the reader reports in the chunk it is in.
  let cut = -1;
  let q = b.indexOf(QUOTE);
  let nl = b.indexOf(NL);
  while (nl >= 0) {
    if (q >= 0 && q < nl) {
      inQuote = !inQuote;
      q = b.indexOf(QUOTE, q + 1);
      continue;
    }
    if (!inQuote && (!crlf || (nl > 0 ? b[nl - 1] === CR : afterCr))) cut = nl + 1;
    nl = b.indexOf(NL, nl + 1);
  }
  for (; q >= 0; q = b.indexOf(QUOTE, q + 1)) inQuote = !inQuote;
  return { inQuote, cut };
}

/**
 * The end of the header record in `b` (just after its newline), skipping blank lines before it
 * as the reader does, or -1 when `b` does not hold all of it.
 */
function headEnd(b: Buffer): number {
  let inQuote = false;
  let start = b.subarray(0, 3).equals(BOM) ? 3 : 0;
  for (let i = start; i < b.length; i++) {
    const c = b[i];
    if (c === QUOTE) inQuote = !inQuote;
    else if (c === NL && !inQuote) {
      const record = b.subarray(start, i);
      if (record.length > 1 || (record.length === 1 && record[0] !== CR)) return i + 1;
      start = i + 1;
    }
  }
  return -1;
}

/** Whether a lone CR (not before a newline) could end a record: the parser might then cut there. */
function hasLoneCr(b: Buffer): boolean {
  for (let i = b.indexOf(CR); i >= 0; i = b.indexOf(CR, i + 1)) if (b[i + 1] !== NL) return true;
  return false;
}

/**
 * CSV: first the header record (with any blank lines before it), then chunks of whole records of
 * at least `target` bytes (but for the last), then nothing; or `whole` when the file cannot be cut.
 * A record that never ends (a quote never closed) is held to twice the record limit, then sent as
 * it is: the reader fails on it there, as it would on the whole file.
 */
export async function* csvChunks(
  pieces: AsyncIterator<Buffer | string>,
  target: number,
  maxBytes = MAX_RECORD_BYTES,
): AsyncGenerator<CsvPiece> {
  const utf8 = new Utf8Watch();
  const consumed: Buffer[] = [];
  let start = EMPTY;
  let end = -1;
  for (;;) {
    const piece = await next(pieces);
    if (piece) {
      utf8.see(piece);
      consumed.push(piece);
    }
    start = Buffer.concat(consumed);
    end = headEnd(start);
    if (end >= 0 || !piece) break;
    if (start.length > 2 * maxBytes) {
      yield { kind: 'whole', consumed };
      return;
    }
  }
  const head = end < 0 ? start : start.subarray(0, end);
  if (hasLoneCr(head.subarray(0, Math.max(0, head.length - 2)))) {
    yield { kind: 'whole', consumed };
    return;
  }
  yield { kind: 'head', head };

  let line = newlines(head) + 1;
  let sent = false;
  const chunk = (bytes: Buffer): CsvPiece => {
    const c: CsvPiece = { kind: 'chunk', bytes, lines: linesOf(bytes), firstLine: line, invalidBefore: utf8.invalid };
    line += c.lines;
    sent = true;
    return c;
  };
  let carry: { b: Buffer; s: Scan }[] = [];
  let carryBytes = 0;
  let inQuote = false;
  let afterCr = false;
  const crlf = head.length >= 2 && head[head.length - 2] === CR && head[head.length - 1] === NL;
  const add = (b: Buffer) => {
    if (b.length === 0) return;
    const s = scan(b, inQuote, crlf, afterCr);
    inQuote = s.inQuote;
    afterCr = b[b.length - 1] === CR;
    carry.push({ b, s });
    carryBytes += b.length;
  };
  if (end >= 0 && end < start.length) add(start.subarray(end));
  for (let piece = await next(pieces); piece; piece = await next(pieces)) {
    utf8.see(piece);
    add(piece);
    if (carryBytes < target) continue;
    let at = carry.length - 1;
    while (at >= 0 && carry[at]!.s.cut < 0) at--;
    if (at >= 0) {
      const { b, s } = carry[at]!;
      // What follows the cut starts outside quotes and has no cut of its own.
      const rest = [{ b: b.subarray(s.cut), s: { inQuote: s.inQuote, cut: -1 } }, ...carry.slice(at + 1)];
      yield chunk(Buffer.concat([...carry.slice(0, at).map((c) => c.b), b.subarray(0, s.cut)]));
      carry = rest;
      carryBytes = rest.reduce((n, c) => n + c.b.length, 0);
    } else if (carryBytes > 2 * maxBytes) {
      yield chunk(Buffer.concat(carry.map((c) => c.b)));
      carry = [];
      carryBytes = 0;
    }
  }
  utf8.end();
  // Even a file of a header alone is read once: its header is checked there.
  if (carryBytes || !sent) yield chunk(Buffer.concat(carry.map((c) => c.b)));
}
