/**
 * The records of a CSV stream, as arrays of cells, batch by batch as the pieces of the stream
 * arrive. csv-parse reads every file; text without quotes or carriage returns is split here
 * instead, until the first piece that has one.
 *
 * Why two ways: csv-parse walks each byte through its state machine and builds a context object
 * for every record it hands to `on_record`, about 10 µs a record of ten short cells, more than
 * scoring an XGBoost ensemble, and most of a batch run's time. Without quotes, the format has
 * nothing left to interpret: a record is a line (`\n`), its cells are what lies between commas, a
 * UTF-8 character never holds either byte, and an empty line is skipped as csv-parse is told to.
 * Splitting such text takes about 1 µs a record. Any piece with a quote (quoted cells, and so
 * errors such as a quote that never closes), a carriage return (other record delimiters), or a
 * record near the size limit goes to csv-parse, and so does all of the stream after it: the
 * parser is first given one empty line for each line split here, which it skips, so that it
 * numbers lines, and words its errors, as it does reading the whole file
 * (spec/batch/csv-records.spec.ts holds the two ways to the same records and errors).
 */
import { parse as csvParser } from 'csv-parse';
import { MAX_RECORD_BYTES } from '../io/input-error.js';
import type { Utf8Watch } from './utf8-gate.js';

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** The bytes of a piece that csv-parse alone reads: a quote or a carriage return. */
const needsParser = (bytes: Buffer): boolean => bytes.indexOf(QUOTE) >= 0 || bytes.indexOf(CR) >= 0;

/**
 * Quote-free CSV split into lines and cells, with the bytes of an unfinished last line carried to
 * the next piece.
 */
class PlainSplit {
  /** Lines ended so far (empty ones included): what the parser is given as empty lines if it takes over. */
  lines = 0;
  /** The bytes after the last line break. */
  carry: Buffer = Buffer.alloc(0);
  private first = true;

  /** The records the piece completes, or undefined if a line may be near the size limit (the parser then takes the piece). */
  records(piece: Buffer): string[][] | undefined {
    const bytes = this.carry.length ? Buffer.concat([this.carry, piece]) : piece;
    if (bytes.length > MAX_RECORD_BYTES) return undefined;
    const last = bytes.lastIndexOf(LF);
    if (last < 0) {
      this.carry = Buffer.from(bytes);
      return [];
    }
    const lines = this.strip(bytes.toString('utf8', 0, last)).split('\n');
    this.lines += lines.length;
    this.carry = Buffer.from(bytes.subarray(last + 1));
    return cellsOf(lines);
  }

  /** The last line, at the end of the stream. */
  end(): string[][] {
    const rest = this.carry.length ? [this.strip(this.carry.toString('utf8'))] : [];
    this.carry = Buffer.alloc(0);
    return cellsOf(rest);
  }

  /** The text without the byte order mark the file may start with (csv-parse's `bom` option). */
  private strip(text: string): string {
    if (!this.first) return text;
    this.first = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

function cellsOf(lines: readonly string[]): string[][] {
  const out: string[][] = [];
  for (const line of lines) if (line !== '') out.push(line.split(','));
  return out;
}

/** csv-parse as this reader uses it: records as they are completed, its errors kept until they are thrown. */
class Parser {
  private parsed: string[][] = [];
  failure: unknown;
  private readonly parser = csvParser({
    relax_column_count: true,
    skip_empty_lines: true,
    bom: true,
    max_record_size: MAX_RECORD_BYTES,
    // Taken here rather than from the stream, which would drop what it holds when it fails.
    on_record: (record: string[]) => {
      this.parsed.push(record);
      return null;
    },
  });

  constructor() {
    this.parser.on('error', (e) => (this.failure ??= e));
  }

  write(bytes: Buffer): Promise<string[][]> {
    return this.settled((done) => this.parser.write(bytes, done));
  }

  end(): Promise<string[][]> {
    return this.settled((done) => this.parser.end(done));
  }

  /** The records completed once the parser has taken the bytes. */
  private settled(start: (done: (e?: Error | null) => void) => void): Promise<string[][]> {
    return new Promise((resolve) =>
      start((e) => {
        if (e) this.failure ??= e;
        const out = this.parsed;
        this.parsed = [];
        resolve(out);
      }),
    );
  }
}

/**
 * The records of a CSV stream, as they are completed, piece by piece. The records a piece
 * completed are handed out before any error it raised: the rows before a quote that never closes
 * are read, not dropped with the parser's buffer. `plain` false reads everything with csv-parse
 * (the baseline the specs compare with).
 */
export async function* csvRecords(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  utf8: Utf8Watch,
  plain = true,
): AsyncGenerator<string[][]> {
  const split = new PlainSplit();
  let parser: Parser | undefined;
  for await (const piece of input) {
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
    utf8.see(bytes);
    if (!parser && plain && !needsParser(bytes)) {
      const records = split.records(bytes);
      if (records) {
        if (records.length) yield records;
        continue;
      }
    }
    if (!parser) {
      parser = new Parser();
      // The lines split so far, as empty lines, then the unfinished one: the parser sees the file's lines where they are.
      if (split.lines) await parser.write(Buffer.alloc(split.lines, LF));
      if (split.carry.length) yield* handed(await parser.write(split.carry), parser);
    }
    yield* handed(await parser.write(bytes), parser);
  }
  utf8.end();
  if (parser) yield* handed(await parser.end(), parser);
  else {
    const last = split.end();
    if (last.length) yield last;
  }
}

/** The parser's records, then its error if it raised one. */
function* handed(records: string[][], parser: Parser): Generator<string[][]> {
  if (records.length) yield records;
  if (parser.failure) throw parser.failure;
}
