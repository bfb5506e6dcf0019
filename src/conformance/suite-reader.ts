/**
 * Reads a PFA test file test by test, whatever its JSON layout: the suite's own (one test per
 * block of lines), a single line as `json.dump` writes it, pretty-printed, or JSON Lines with one
 * test (or one whole suite object) per line. The file may be gzipped (told by its magic number,
 * not its name).
 *
 * The suite files are tens of megabytes of JSON each, so the whole file is never parsed at once:
 * a small scanner walks the bytes of the `pfa-tests` array and finds where each test begins and
 * ends, and only that test's text is parsed. Memory is the file's bytes plus one parsed test.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { PfaSyntaxError } from '../errors.js';
import { parseSource } from '../pfa/source.js';
import type { SuiteTest } from './pfa-suite.js';
import type { TrajanErrorCode } from '../error-codes.js';

/** Deeper JSON than this in one test is refused before it reaches a (recursive) parser. */
export const MAX_TEST_DEPTH = 1000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** The text of a suite file, decompressed when it is gzip (1f 8b), with any UTF-8 byte-order mark dropped. */
export function readSuiteBytes(path: string): Buffer {
  const raw = readFileSync(path);
  let bytes = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw);
    } catch (e) {
      throw new PfaSyntaxError('suite-gzip', `${path}: not a readable gzip file (${(e as Error).message})`);
    }
  }
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** A cursor over the bytes of one file; errors name the file and the line:column of the offset. */
class Scanner {
  pos = 0;
  constructor(
    readonly bytes: Buffer,
    readonly path: string,
  ) {}

  fail(code: TrajanErrorCode, message: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.bytes.length; i++) {
      if (this.bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = at - lineStart + 1;
    throw new PfaSyntaxError(code, `${this.path}:${line}:${column}: ${message}`, { line, column });
  }

  skipSpace(): number | undefined {
    while (isSpace(this.bytes[this.pos])) this.pos++;
    return this.bytes[this.pos];
  }

  expect(byte: number, what: string): void {
    if (this.skipSpace() !== byte) this.fail('suite-json', `malformed JSON: expected ${what}`);
    this.pos++;
  }

  /** Moves past the string starting at `pos`; returns its end (after the closing quote). */
  skipString(): number {
    const b = this.bytes;
    let i = this.pos + 1;
    for (;;) {
      // The next quote ends the string unless an odd number of backslashes escapes it.
      i = b.indexOf(QUOTE, i);
      if (i < 0) this.fail('suite-json', 'malformed JSON: unterminated string', this.pos);
      let slashes = 0;
      while (b[i - 1 - slashes] === BACKSLASH) slashes++;
      if (slashes % 2 === 0) break;
      i++;
    }
    this.pos = i + 1;
    return this.pos;
  }

  /** Reads an object key (a JSON string) and the colon after it. */
  key(): string {
    const start = this.pos;
    if (this.skipSpace() !== QUOTE) this.fail('suite-json', 'malformed JSON: expected a string key');
    const from = this.pos;
    this.skipString();
    let key: unknown;
    try {
      key = JSON.parse(this.bytes.toString('utf8', from, this.pos));
    } catch {
      this.fail('suite-json', 'malformed JSON: bad string key', start);
    }
    this.expect(COLON, '":"');
    return key as string;
  }

  /**
   * Moves past one JSON value without building it and returns [start, end). Brackets are matched
   * with an explicit stack (no recursion), and nesting beyond MAX_TEST_DEPTH is refused; the
   * caller parses the span, which checks everything else.
   */
  skipValue(): [number, number] {
    const b = this.bytes;
    this.skipSpace();
    const start = this.pos;
    const first = b[start];
    if (first === undefined) this.fail('suite-json', 'malformed JSON: unexpected end of file', start);
    if (first === QUOTE) {
      this.skipString();
      return [start, this.pos];
    }
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
      // A bare scalar (number, true, false, null): up to the next delimiter.
      let i = start;
      while (i < b.length && !isSpace(b[i]) && b[i] !== COMMA && b[i] !== CLOSE_OBJECT && b[i] !== CLOSE_ARRAY) i++;
      if (i === start) this.fail('suite-json', 'malformed JSON: expected a value');
      this.pos = i;
      return [start, i];
    }
    // The closers expected, innermost last; locals rather than fields, as this loop sees every byte.
    const closers = new Uint8Array(MAX_TEST_DEPTH + 1);
    let depth = 0;
    let i = start;
    const n = b.length;
    do {
      if (i >= n) this.fail('suite-json', 'malformed JSON: unexpected end of file', start);
      const c = b[i]!;
      if (c === QUOTE) {
        this.pos = i;
        i = this.skipString();
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (depth === MAX_TEST_DEPTH) this.fail('suite-too-deep', `JSON nested deeper than ${MAX_TEST_DEPTH}`, i);
        closers[depth++] = c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
        i++;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (closers[--depth] !== c) this.fail('suite-json', `malformed JSON: unexpected "${String.fromCharCode(c)}"`, i);
        i++;
      } else i++;
    } while (depth > 0);
    this.pos = i;
    return [start, i];
  }

  /** Parses the span as JSON (exact for long integers, as PFA documents are read). */
  parse(span: [number, number]): unknown {
    try {
      return parseSource(this.bytes.toString('utf8', span[0], span[1]));
    } catch (e) {
      const loc = (e as PfaSyntaxError).location;
      // The parser's position is within the span: report it in the file.
      if (loc?.line !== undefined) {
        let at = span[0];
        for (let l = 1; l < loc.line; l++) at = this.bytes.indexOf(0x0a, at) + 1;
        this.fail('suite-json', (e as Error).message, at + (loc.column ?? 1) - 1);
      }
      this.fail('suite-json', (e as Error).message, span[0]);
    }
  }

  /** Checks that the span is JSON (a bare scalar too, which the PFA source reader would take as YAML). */
  check(span: [number, number]): void {
    try {
      JSON.parse(this.bytes.toString('utf8', span[0], span[1]));
    } catch (e) {
      this.fail('suite-json', `malformed JSON: ${(e as Error).message}`, span[0]);
    }
  }

  /** The parsed test at `span`, checked to have the shape of one. */
  test(span: [number, number]): SuiteTest {
    const first = this.bytes[span[0]];
    if (first !== OPEN_OBJECT) this.fail('not-a-suite', 'a test must be a JSON object {"function", "engine", "trials"}', span[0]);
    const t = this.parse(span) as Record<string, unknown>;
    const ok =
      typeof t.function === 'string' &&
      typeof t.engine === 'object' &&
      t.engine !== null &&
      Array.isArray(t.trials) &&
      t.trials.every((x) => typeof x === 'object' && x !== null && typeof (x as { sample?: unknown }).sample === 'object');
    if (!ok)
      this.fail(
        'not-a-suite',
        'a test needs a string "function", an object "engine" and an array "trials" of objects with a "sample"',
        span[0],
      );
    return t as unknown as SuiteTest;
  }
}

/**
 * Reads the tests of one PFA test file, one at a time. Top-level values are objects: a suite
 * (`{"pfa-tests": [...], ...}`, its other members ignored) or a single test (JSON Lines). A file
 * with neither, or whose tests hold no trial at all, is a `PfaSyntaxError` naming the file.
 */
export function* readSuite(path: string): Generator<SuiteTest> {
  const s = new Scanner(readSuiteBytes(path), path);
  const b = s.bytes;
  let suites = 0;
  let tests = 0;
  let trials = 0;
  const emit = (t: SuiteTest): SuiteTest => {
    tests++;
    trials += t.trials.length;
    return t;
  };
  while (s.skipSpace() !== undefined) {
    const objectStart = s.pos;
    if (b[s.pos] !== OPEN_OBJECT) s.fail('not-a-suite', 'not a PFA test file: expected a JSON object with a "pfa-tests" array');
    s.pos++;
    let suite = false;
    let single = false;
    if (s.skipSpace() === CLOSE_OBJECT) s.pos++;
    else {
      for (;;) {
        const key = s.key();
        if (key === 'pfa-tests') {
          if (suite) s.fail('suite-json', 'a second "pfa-tests" member in one object');
          suite = true;
          s.expect(OPEN_ARRAY, 'the "pfa-tests" array');
          if (s.skipSpace() === CLOSE_ARRAY) s.pos++;
          else {
            for (;;) {
              yield emit(s.test(s.skipValue()));
              const next = s.skipSpace();
              if (next === COMMA) s.pos++;
              else if (next === CLOSE_ARRAY) {
                s.pos++;
                break;
              } else s.fail('suite-json', 'malformed JSON: expected "," or "]" after a test');
            }
          }
        } else {
          // Other members of a suite ("pfa-version", "reference") are checked to be JSON and
          // otherwise ignored; "function" marks an object that is itself one test.
          const span = s.skipValue();
          if (key === 'function') single = true;
          else if (!single) s.check(span);
        }
        const next = s.skipSpace();
        if (next === COMMA) s.pos++;
        else if (next === CLOSE_OBJECT) {
          s.pos++;
          break;
        } else s.fail('suite-json', 'malformed JSON: expected "," or "}" in an object');
      }
    }
    if (suite) suites++;
    else {
      if (!single) s.fail('not-a-suite', 'not a PFA test file: an object with neither a "pfa-tests" array nor a "function"', objectStart);
      yield emit(s.test([objectStart, s.pos]));
    }
  }
  if (tests === 0 && suites === 0) s.fail('not-a-suite', 'not a PFA test file: it holds no JSON value', 0);
  if (trials === 0)
    s.fail(
      'no-trials',
      tests === 0 ? 'no trial: the "pfa-tests" array is empty' : `no trial: the file's ${tests} test${tests === 1 ? '' : 's'} hold none`,
      0,
    );
}
