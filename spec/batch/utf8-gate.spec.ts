import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { Utf8Watch } from '../../src/batch/utf8-gate.js';

async function through(chunks: Buffer[]): Promise<{ invalid: boolean; bytes: Buffer }> {
  const watch = new Utf8Watch();
  for (const c of chunks) watch.see(c);
  watch.end();
  // The watch only looks: what it was shown is what it leaves.
  return { invalid: watch.invalid, bytes: Buffer.concat(chunks) };
}

function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(from, c));
    from = c;
  }
  return out.filter((b) => b.length);
}

describe('Utf8Watch', () => {
  it('flags bytes exactly when they are not UTF-8, however the chunks split characters', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => Buffer.from(s));
    const bytes = fc.oneof(
      text,
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
    );
    await fc.assert(
      fc.asyncProperty(bytes, fc.array(fc.nat(), { maxLength: 6 }), async (b, cuts) => {
        const r = await through(split(b, cuts));
        expect(r.bytes.equals(b)).toBe(true);
        expect(r.invalid).toBe(!isUtf8(b));
      }),
      { seed: 11, numRuns: 1000 },
    );
  });

  it('flags a stream that ends inside a character', async () => {
    expect((await through([Buffer.from('ok'), Buffer.from([0xe2, 0x82])])).invalid).toBe(true);
    expect((await through([Buffer.from('ok'), Buffer.from([0xe2, 0x82]), Buffer.from([0xac])])).invalid).toBe(false);
  });
});
