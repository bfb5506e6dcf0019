import { describe, expect, it } from 'vitest';
import { T } from '../../src/avro/types.js';
import { loadPfa } from '../../src/index.js';
import { packFormat } from '../../src/pfa/pack-format.js';

const TERMINATED = ['terminated', 'null terminated', 'nullterminated', '  null   terminated  ', 'null-terminated'];
const PREFIXED = ['prefixed', 'length prefixed', 'lengthprefixed', ' length\tprefixed ', 'length-prefixed'];

function roundTrip(spec: string, value: Uint8Array): Uint8Array {
  const f = packFormat(spec)!;
  const out: number[] = [];
  f.write(value, out);
  const read = f.read(Uint8Array.from(out), 0);
  expect(read?.pos).toBe(out.length);
  return read!.value as Uint8Array;
}

describe('pack formats: variable-width bytes', () => {
  it('accepts the terminated spellings, with and without the word null', () => {
    for (const spec of TERMINATED) {
      expect(packFormat(spec)?.type, spec).toEqual(T.bytes);
      expect(roundTrip(spec, Uint8Array.of(1, 2, 255)), spec).toEqual(Uint8Array.of(1, 2, 255));
      const out: number[] = [];
      packFormat(spec)!.write(Uint8Array.of(7), out);
      expect(out, spec).toEqual([7, 0]);
    }
  });

  it('accepts the prefixed spellings, with and without the word length', () => {
    for (const spec of PREFIXED) {
      expect(packFormat(spec)?.type, spec).toEqual(T.bytes);
      expect(roundTrip(spec, Uint8Array.of(0, 9, 0)), spec).toEqual(Uint8Array.of(0, 9, 0));
      const out: number[] = [];
      packFormat(spec)!.write(Uint8Array.of(7, 8), out);
      expect(out, spec).toEqual([2, 7, 8]);
    }
  });

  it('still refuses other words', () => {
    for (const spec of [
      'nul terminated',
      'null terminate',
      'terminated null',
      'length',
      'prefix',
      'size prefixed',
      'length prefixed bytes',
    ]) {
      expect(packFormat(spec), spec).toBeUndefined();
    }
  });
});

describe('pack and unpack special forms with the bare spellings', () => {
  function engine(packAs: string, unpackAs: string) {
    return loadPfa({
      input: 'bytes',
      output: ['null', 'bytes'],
      action: {
        unpack: { pack: [{ [packAs]: 'input' }, { '<short': 513 }] },
        format: [{ x: unpackAs }, { n: '<short' }],
        then: { if: { '==': ['n', 513] }, then: 'x', else: null },
        else: null,
      },
    });
  }

  it('round-trips through every pair of spellings', () => {
    const data = Uint8Array.of(104, 105);
    for (const [a, b] of [
      ['terminated', 'null terminated'],
      ['null terminated', 'terminated'],
      ['prefixed', 'length prefixed'],
      ['length prefixed', 'prefixed'],
      ['prefixed', 'prefixed'],
      ['terminated', 'terminated'],
    ] as const) {
      expect(engine(a, b).action(data), `${a} / ${b}`).toEqual(data);
    }
  });

  it('takes the else branch when the bytes do not fit the format exactly', () => {
    // a zero inside null-terminated bytes ends them early, so the rest does not read back
    expect(engine('terminated', 'terminated').action(Uint8Array.of(1, 0, 2))).toBeNull();
    // read as length-prefixed, the terminated encoding of [3, 4] claims 3 bytes of 4 and leaves one over
    expect(engine('terminated', 'prefixed').action(Uint8Array.of(3, 4))).toBeNull();
  });
});
