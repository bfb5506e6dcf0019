import { describe, expect, it } from 'vitest';
import { T } from '../../../src/avro/types.js';
import { errorCode, implFor } from './_direct-call.js';

const b = (...x: number[]): Uint8Array => new Uint8Array(x);
const onBytes = (name: string) => implFor(`bytes.${name}`, [T.bytes], 0);
const onString = (name: string) => implFor(`bytes.${name}`, [T.string], 1);

describe('bytes: subsequences', () => {
  it('slices with Python rules and never modifies the argument', () => {
    const x = b(1, 2, 3, 4, 5);
    expect(implFor('bytes.subseq', [T.bytes, T.int, T.int])(x, -3, 100)).toEqual(b(3, 4, 5));
    expect(implFor('bytes.subseqto', [T.bytes, T.int, T.int, T.bytes])(x, 1, 3, b(9))).toEqual(b(1, 9, 4, 5));
    expect(implFor('bytes.subseqto', [T.bytes, T.int, T.int, T.bytes])(x, 4, 2, b(9))).toEqual(b(1, 2, 3, 4, 9, 5));
    expect(x).toEqual(b(1, 2, 3, 4, 5));
  });
});

describe('bytes: encodings', () => {
  it('tests bytes and strings against each encoding', () => {
    expect(onBytes('isAscii')(b(0x41, 0x80))).toBe(false);
    expect(onBytes('isLatin1')(b(0xff))).toBe(true);
    expect(onBytes('isUtf8')(b(0xe2, 0x88, 0x92))).toBe(true);
    expect(onBytes('isUtf8')(b(0xed, 0xa0, 0x80))).toBe(false); // encoded surrogate
    expect(onBytes('isUtf16')(b(0x41))).toBe(false);
    expect(onBytes('isUtf16le')(b(0x00, 0xd8))).toBe(false); // lone surrogate
    expect(onString('isAscii')('é')).toBe(false);
    expect(onString('isLatin1')('é')).toBe(true);
    expect(onString('isUtf8')('\ud800')).toBe(false);
    expect(onString('isUtf16')('😀')).toBe(true);
  });

  it('decodes strictly; only utf-16 interprets a byte-order mark', () => {
    expect(onBytes('decodeLatin1')(b(0xff, 0x41))).toBe('ÿA');
    expect(onBytes('decodeUtf8')(b(0xef, 0xbb, 0xbf, 0x41))).toBe('\ufeffA');
    expect(onBytes('decodeUtf16')(b(0xfe, 0xff, 0x00, 0x41))).toBe('A');
    expect(onBytes('decodeUtf16')(b(0x41, 0x00))).toBe('A');
    expect(onBytes('decodeUtf16be')(b(0xfe, 0xff, 0x00, 0x41))).toBe('\ufeffA');
    expect(errorCode(() => onBytes('decodeAscii')(b(0x80)))).toBe(16090);
    expect(errorCode(() => onBytes('decodeUtf8')(b(0xc3)))).toBe(16110);
    expect(errorCode(() => onBytes('decodeUtf16')(b(0x41)))).toBe(16120);
    expect(errorCode(() => onBytes('decodeUtf16be')(b(0xd8, 0x00)))).toBe(16130);
    expect(errorCode(() => onBytes('decodeUtf16le')(b(0x00)))).toBe(16140);
  });

  it('encodes, refusing characters the encoding lacks', () => {
    const enc = (name: string) => implFor(`bytes.${name}`, [T.string]);
    expect(enc('encodeLatin1')('é')).toEqual(b(0xe9));
    expect(enc('encodeUtf8')('−')).toEqual(b(0xe2, 0x88, 0x92));
    expect(enc('encodeUtf16')('A')).toEqual(b(0xff, 0xfe, 0x41, 0x00));
    expect(enc('encodeUtf16be')('😀')).toEqual(b(0xd8, 0x3d, 0xde, 0x00));
    expect(enc('encodeUtf16le')('A')).toEqual(b(0x41, 0x00));
    expect(errorCode(() => enc('encodeAscii')('é'))).toBe(16150);
    expect(errorCode(() => enc('encodeLatin1')('−'))).toBe(16160);
    expect(errorCode(() => enc('encodeUtf8')('\udc00'))).toBe(16170);
    expect(errorCode(() => enc('encodeUtf16')('\udc00'))).toBe(16180);
    expect(errorCode(() => enc('encodeUtf16be')('\ud800'))).toBe(16190);
    expect(errorCode(() => enc('encodeUtf16le')('\ud800x'))).toBe(16200);
  });
});

describe('bytes: base64', () => {
  const from = implFor('bytes.fromBase64', [T.string]);
  it('round-trips and accepts extra padding like Python', () => {
    expect(implFor('bytes.toBase64', [T.bytes])(b(0xff, 0x80, 0x00))).toBe('/4AA');
    expect(from('aGVsbG8=')).toEqual(new TextEncoder().encode('hello'));
    expect(from('aGVsbG8===')).toEqual(new TextEncoder().encode('hello'));
    expect(from('')).toEqual(b());
  });
  it('rejects bad characters and missing padding', () => {
    for (const bad of ['...', 'aGVsbG8', 'a', 'aGVs bG8=', '=abc', 'aGVsbA=']) expect(errorCode(() => from(bad))).toBe(16220);
  });
});
