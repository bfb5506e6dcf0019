import fc from 'fast-check';
import { isSafeNumber, parse as parseLossless } from 'lossless-json';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RowError } from '../../src/io/input-error.js';
import { parseJsonLine, splitLines, type Line } from '../../src/io/json-lines.js';

async function linesOf(chunks: (string | Buffer)[], maxBytes?: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const batch of splitLines(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), maxBytes))
    out.push(...batch);
  return out;
}

function rowError(f: () => unknown): RowError {
  try {
    f();
  } catch (e) {
    if (e instanceof RowError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('parseJsonLine', () => {
  it('keeps every digit of integers beyond 2^53 and leaves doubles as doubles', () => {
    expect(parseJsonLine('{"id": 9007199254740993, "x": 1.5}')).toEqual({ id: 9007199254740993n, x: 1.5 });
    expect(parseJsonLine('[-9223372036854775808, 18446744073709551616]')).toEqual([-9223372036854775808n, 18446744073709551616n]);
    // Written with a point or exponent, a number is a double however many digits it has.
    expect(parseJsonLine('[12345678901234567.5, 0.12345678901234567890, 1234567890123456789e0]')).toEqual([
      12345678901234567.5, 0.1234567890123456789, 1234567890123456789,
    ]);
    // Safe integers stay numbers on both paths.
    expect(parseJsonLine('[1234567890123456, 9007199254740993]')).toEqual([1234567890123456, 9007199254740993n]);
    expect(parseJsonLine('{"s": "12345678901234567890"}')).toEqual({ s: '12345678901234567890' });
  });

  it('reads exactly what a lossless parser reads, on random lines with long integers, doubles and look-alike strings', () => {
    const big = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => ({ text: String(n) }));
    const dbl = fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => ({ text: JSON.stringify(d) }));
    const str = fc
      .oneof(
        fc.string(),
        fc.bigInt().map((n) => `${n}`),
        fc.constant('\u0000123'),
        fc.constant('a\\"12345678901234567'),
      )
      .map((s) => ({ text: JSON.stringify(s) }));
    type Node = { text: string };
    const { node } = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        big,
        dbl,
        str,
        fc.array(tie('node'), { maxLength: 4 }).map((xs) => ({ text: `[${xs.map((x) => x.text).join(', ')}]` })),
        fc
          .array(fc.tuple(fc.string({ maxLength: 4 }), tie('node')), { maxLength: 4 })
          .map((kvs) => ({ text: `{${kvs.map(([k, v]) => `${JSON.stringify(k)}:${v.text}`).join(',')}}` })),
      ),
    }));
    const reference = (text: string) =>
      parseLossless(text, null, {
        parseNumber: (d: string) => (isSafeNumber(d) ? Number(d) : /^-?\d+$/.test(d) ? BigInt(d) : Number(d)),
        onDuplicateKey: ({ newValue }: { newValue: unknown }) => newValue,
      });
    fc.assert(
      fc.property(node, (n) => {
        expect(parseJsonLine(n.text)).toEqual(reference(n.text));
      }),
      { seed: 3, numRuns: 1500 },
    );
  });

  it('keeps the last of duplicate keys on the exact path too, as JSON.parse does', () => {
    expect(parseJsonLine('{"a": 1, "a": 2}')).toEqual({ a: 2 });
    expect(parseJsonLine('{"a": 9007199254740993, "a": 9007199254740995}')).toEqual({ a: 9007199254740995n });
  });

  it('rejects malformed lines and lines nested deeper than 1000 levels, on both paths', () => {
    expect(rowError(() => parseJsonLine('not json')).code).toBe('json-syntax');
    expect(rowError(() => parseJsonLine('{"id": 9007199254740993')).code).toBe('json-syntax');
    const deep = (n: number, inner = '1') => `${'['.repeat(n)}${inner}${']'.repeat(n)}`;
    expect(parseJsonLine(deep(1000))).toBeDefined();
    expect(rowError(() => parseJsonLine(deep(1001))).code).toBe('too-deep');
    expect(rowError(() => parseJsonLine(deep(200_000, '9007199254740993'))).code).toBe('too-deep');
  });
});

describe('splitLines', () => {
  it('cuts lines across chunk boundaries, strips CR and a leading BOM, and numbers every line', async () => {
    const lines = await linesOf([Buffer.from([0xef, 0xbb, 0xbf]), '{"a"', ':1}\r\n\n{"b":', '2}\n[3]']);
    expect(lines).toEqual([
      { number: 1, text: '{"a":1}' },
      { number: 2, text: '' },
      { number: 3, text: '{"b":2}' },
      { number: 4, text: '[3]' },
    ]);
  });

  it('keeps a character split between chunks whole, and reports lines that are not UTF-8', async () => {
    const e = Buffer.from('"é"\n');
    const lines = await linesOf([e.subarray(0, 2), e.subarray(2), Buffer.from([0x22, 0xff, 0x22, 0x0a]), '"ok"\n']);
    expect(lines[0]).toEqual({ number: 1, text: '"é"' });
    expect(lines[1]).toMatchObject({ number: 2, error: { code: 'invalid-utf8' } });
    expect(lines[2]).toEqual({ number: 3, text: '"ok"' });
  });

  it('skips the rest of an overlong line, reports it, and goes on with the next', async () => {
    const lines = await linesOf(['[1', '2345', '6789', '0]\n[1]\n', '[123456789]\n[2]'], 8);
    expect(lines.map((l) => ('error' in l ? l.error.code : l.text))).toEqual(['line-too-long', '[1]', 'line-too-long', '[2]']);
    expect(lines.map((l) => l.number)).toEqual([1, 2, 3, 4]);
    const last = await linesOf(['[1234567', '89]'], 8);
    expect(last).toMatchObject([{ number: 1, error: { code: 'line-too-long' } }]);
  });
});
