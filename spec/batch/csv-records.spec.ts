/**
 * The CSV records of a stream split by hand (quote-free text) give what csv-parse alone gives: the
 * same records in the same batches' order, and the same error, with the same words and line, where
 * the parser takes over after a quote or a carriage return. Random texts, cut into random pieces.
 */
import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../src/batch/csv-records.js';
import { Utf8Watch } from '../../src/batch/utf8-gate.js';
import { seededRandom } from '../helpers/random.js';

const r = seededRandom(31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** A cell without quotes (some empty, some not ASCII), or, when `quoted`, a quoted one that may hold a comma, a quote or a line break. */
function cell(quoted: boolean): string {
  if (quoted) return `"${pick(['a,b', 'say ""hi""', 'two\nlines', 'x', ''])}"`;
  return pick(['', '1', '2.5', '-3e4', 'abc', 'é', '日本', ' padded ', 'NA', 'x y']);
}

/** A CSV text of up to 40 lines; quotes, CRs, blank lines and a BOM as the flags say, from line `from` on. */
function text(opts: { quotesFrom?: number; crlf?: boolean; bom?: boolean; unclosed?: boolean }): string {
  const lines: string[] = [];
  const n = 1 + Math.floor(r() * 40);
  for (let i = 0; i < n; i++) {
    if (r() < 0.1) {
      lines.push('');
      continue;
    }
    const width = 1 + Math.floor(r() * 5);
    const quoted = opts.quotesFrom !== undefined && i >= opts.quotesFrom;
    lines.push(Array.from({ length: width }, () => cell(quoted && r() < 0.4)).join(','));
  }
  if (opts.unclosed) lines.push('1,"never closed');
  const body = lines.join(opts.crlf ? '\r\n' : '\n') + (r() < 0.5 ? (opts.crlf ? '\r\n' : '\n') : '');
  return (opts.bom ? '\uFEFF' : '') + body;
}

/** The text's bytes cut into pieces of 1 to 30 bytes (cutting characters apart, too). */
function pieces(s: string): Buffer[] {
  const bytes = Buffer.from(s);
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(r() * 30);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

async function read(parts: readonly Buffer[], plain: boolean): Promise<{ records: string[][]; error?: unknown }> {
  const records: string[][] = [];
  try {
    for await (const batch of csvRecords(parts, new Utf8Watch(), plain)) records.push(...batch);
  } catch (e) {
    const { message, code, lines } = e as { message: string; code: string; lines: number };
    return { records, error: { message, code, lines } };
  }
  return { records };
}

describe('CSV records split by hand and by csv-parse', () => {
  it('are the same for random texts in random pieces, with quotes, CRs, a BOM or an unclosed quote', async () => {
    let errors = 0;
    for (let k = 0; k < 400; k++) {
      const opts = {
        ...(r() < 0.5 ? { quotesFrom: Math.floor(r() * 30) } : {}),
        crlf: r() < 0.15,
        bom: r() < 0.2,
        unclosed: r() < 0.2,
      };
      const s = text(opts);
      const parts = pieces(s);
      const want = await read(parts, false);
      const got = await read(parts, true);
      if (want.error) errors++;
      expect(got, `${JSON.stringify(opts)} ${JSON.stringify(s)}`).toEqual(want);
    }
    // The texts must reach the parser's errors, or the comparison would miss them.
    expect(errors).toBeGreaterThan(40);
  });

  it('splits quote-free text without the parser, and drops the byte order mark', async () => {
    const got = await read([Buffer.from('\uFEFFa,b\n\n1,'), Buffer.from('é\n2,3')], true);
    expect(got).toEqual({
      records: [
        ['a', 'b'],
        ['1', 'é'],
        ['2', '3'],
      ],
    });
  });
});
