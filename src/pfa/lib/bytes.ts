/**
 * PFA namespace `bytes`: byte arrays, text encodings and base64.
 *
 * Encodings behave as Python's strict codecs, which the reference engine uses: UTF-8 and UTF-16
 * reject malformed input and lone surrogates, a byte-order mark is only interpreted by the
 * BOM-detecting `utf-16` codec (little-endian when absent, and written as FF FE when encoding),
 * and a string is "valid" in an encoding when it can be encoded in it. Only TextEncoder/TextDecoder
 * are used, so this runs in browsers too.
 */
import { base64ToBytes, bytesToBase64, bytesToLatin1 } from '../../avro/json.js';
import { runtimeError } from '../../errors.js';
import { sliceBounds } from './_slices.js';
import { isWellFormed } from './_code-points.js';
import { chargeNative, defineLibrary, implementationFor, type FnDef } from './define.js';

type Decode = (x: Uint8Array) => string | undefined;
type Encode = (s: string) => Uint8Array | undefined;

/** A decoder that returns undefined on malformed input; `ignoreBOM` keeps a leading BOM as text. */
function textDecoder(label: string): Decode {
  const decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  return (x) => {
    try {
      return decoder.decode(x);
    } catch (e) {
      // Only a decoding failure means malformed input; the VM's range errors (stack) go on.
      if (e instanceof RangeError) throw e;
      return undefined;
    }
  };
}

const decodeUtf8 = textDecoder('utf-8');
const decodeUtf16le = textDecoder('utf-16le');
const decodeUtf16be = textDecoder('utf-16be');

const decodeAscii: Decode = (x) => (x.every((b) => b < 0x80) ? bytesToLatin1(x) : undefined);

/** Python's `utf-16` codec: a BOM selects the byte order and is dropped; no BOM means little-endian. */
const decodeUtf16: Decode = (x) => {
  if (x[0] === 0xfe && x[1] === 0xff) return decodeUtf16be(x.subarray(2));
  if (x[0] === 0xff && x[1] === 0xfe) return decodeUtf16le(x.subarray(2));
  return decodeUtf16le(x);
};

function encodeBelow(limit: number): Encode {
  return (s) => {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= limit) return undefined;
      out[i] = c;
    }
    return out;
  };
}

const utf8Encoder = new TextEncoder();
// TextEncoder would silently replace lone surrogates, which Python's strict codecs reject.
const encodeUtf8: Encode = (s) => (isWellFormed(s) ? utf8Encoder.encode(s) : undefined);

function encodeUtf16Units(s: string, littleEndian: boolean, bom: boolean): Uint8Array | undefined {
  if (!isWellFormed(s)) return undefined;
  const offset = bom ? 2 : 0;
  const out = new Uint8Array(offset + 2 * s.length);
  const view = new DataView(out.buffer);
  if (bom) view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < s.length; i++) view.setUint16(offset + 2 * i, s.charCodeAt(i), littleEndian);
  return out;
}

interface Codec {
  readonly decode: Decode;
  readonly encode: Encode;
  /** Whether a string can be represented (for the string signature of the `is*` testers). */
  readonly canEncode: (s: string) => boolean;
}

const CODECS: Record<'Ascii' | 'Latin1' | 'Utf8' | 'Utf16' | 'Utf16be' | 'Utf16le', Codec> = {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at U+0000 on purpose: every code point below 0x80 is ASCII
  Ascii: { decode: decodeAscii, encode: encodeBelow(0x80), canEncode: (s) => /^[\u0000-\u007f]*$/.test(s) },
  // biome-ignore lint/suspicious/noControlCharactersInRegex: every code point below 0x100 is Latin-1, control characters included
  Latin1: { decode: bytesToLatin1, encode: encodeBelow(0x100), canEncode: (s) => /^[\u0000-\u00ff]*$/.test(s) },
  Utf8: { decode: decodeUtf8, encode: encodeUtf8, canEncode: isWellFormed },
  Utf16: { decode: decodeUtf16, encode: (s) => encodeUtf16Units(s, true, true), canEncode: isWellFormed },
  Utf16be: { decode: decodeUtf16be, encode: (s) => encodeUtf16Units(s, false, false), canEncode: isWellFormed },
  Utf16le: { decode: decodeUtf16le, encode: (s) => encodeUtf16Units(s, true, false), canEncode: isWellFormed },
};

function tester(codec: Codec): FnDef {
  return {
    sig: ['(x: bytes) -> boolean', '(x: string) -> boolean'],
    make: (site) => (site.sigIndex === 0 ? (x: Uint8Array) => codec.decode(x) !== undefined : (x: string) => codec.canEncode(x)),
  };
}

function decoder(codec: Codec, code: number, name: string): FnDef {
  return {
    sig: '(x: bytes) -> string',
    errors: [code],
    fn: (x: Uint8Array) => {
      const s = codec.decode(x);
      if (s === undefined) throw runtimeError(code, 'invalid bytes', `bytes.${name}`);
      return s;
    },
  };
}

function encoder(codec: Codec, code: number, name: string): FnDef {
  return {
    sig: '(s: string) -> bytes',
    errors: [code],
    fn: (s: string) => {
      const b = codec.encode(s);
      if (b === undefined) throw runtimeError(code, 'invalid string', `bytes.${name}`);
      return b;
    },
  };
}

/**
 * Python's `b64decode` after the reference engine's check against `^[A-Za-z0-9+/]*=*$`: padding
 * may be longer than needed but not shorter, and one character past a multiple of four is invalid.
 */
function fromBase64(s: string): Uint8Array {
  const m = /^([A-Za-z0-9+/]*)(=*)$/.exec(s);
  const data = m?.[1] ?? '';
  const missing = (4 - (data.length % 4)) % 4;
  if (!m || data.length % 4 === 1 || m[2]!.length < missing) throw runtimeError(16220, 'invalid base64', 'bytes.fromBase64');
  return base64ToBytes(data + '='.repeat(missing));
}

/** Bytes or characters in a call's arguments. */
function sizeOf(args: readonly unknown[]): number {
  let n = 0;
  for (const a of args) if (a instanceof Uint8Array || typeof a === 'string') n += a.length;
  return n;
}

/**
 * Every function here but `len` is one native pass over its arguments making at most four bytes or
 * characters per one read (UTF-16 with a byte-order mark, base64): that pass is charged by blocks
 * and its result reserved before it is made, so copies in a loop meet the allocation budget.
 */
function budgeted(def: FnDef): FnDef {
  return {
    ...def,
    fn: undefined,
    make: (site) => {
      const impl = implementationFor(def, site);
      const ctx = site.ctx;
      return (...args: unknown[]) => {
        const n = sizeOf(args);
        ctx.allocate(4 * n + 4);
        chargeNative(ctx, n);
        return impl(...args);
      };
    },
  };
}

const defs: Record<string, FnDef> = {
  len: { sig: '(x: bytes) -> int', fn: (x: Uint8Array) => x.length },
  subseq: {
    sig: '(x: bytes, start: int, end: int) -> bytes',
    // A slice costs its own length, however long the whole is: parsers read a buffer piece by piece.
    make:
      ({ ctx }) =>
      (x: Uint8Array, start: number, end: number) => {
        const [b, e] = sliceBounds(x.length, start, end);
        ctx.allocate(e - b);
        chargeNative(ctx, e - b);
        return x.slice(b, e);
      },
  },
  subseqto: {
    sig: '(x: bytes, start: int, end: int, replacement: bytes) -> bytes',
    fn: (x: Uint8Array, start: number, end: number, replacement: Uint8Array) => {
      const [b, e] = sliceBounds(x.length, start, end);
      const out = new Uint8Array(b + replacement.length + x.length - e);
      out.set(x.subarray(0, b));
      out.set(replacement, b);
      out.set(x.subarray(e), b + replacement.length);
      return out;
    },
  },

  isAscii: tester(CODECS.Ascii),
  isLatin1: tester(CODECS.Latin1),
  isUtf8: tester(CODECS.Utf8),
  isUtf16: tester(CODECS.Utf16),
  isUtf16be: tester(CODECS.Utf16be),
  isUtf16le: tester(CODECS.Utf16le),

  decodeAscii: decoder(CODECS.Ascii, 16090, 'decodeAscii'),
  decodeLatin1: decoder(CODECS.Latin1, 16100, 'decodeLatin1'),
  decodeUtf8: decoder(CODECS.Utf8, 16110, 'decodeUtf8'),
  decodeUtf16: decoder(CODECS.Utf16, 16120, 'decodeUtf16'),
  decodeUtf16be: decoder(CODECS.Utf16be, 16130, 'decodeUtf16be'),
  decodeUtf16le: decoder(CODECS.Utf16le, 16140, 'decodeUtf16le'),

  encodeAscii: encoder(CODECS.Ascii, 16150, 'encodeAscii'),
  encodeLatin1: encoder(CODECS.Latin1, 16160, 'encodeLatin1'),
  encodeUtf8: encoder(CODECS.Utf8, 16170, 'encodeUtf8'),
  encodeUtf16: encoder(CODECS.Utf16, 16180, 'encodeUtf16'),
  encodeUtf16be: encoder(CODECS.Utf16be, 16190, 'encodeUtf16be'),
  encodeUtf16le: encoder(CODECS.Utf16le, 16200, 'encodeUtf16le'),

  toBase64: { sig: '(x: bytes) -> string', fn: bytesToBase64 },
  fromBase64: { sig: '(s: string) -> bytes', errors: [16220], fn: fromBase64 },
};

for (const [name, def] of Object.entries(defs)) if (name !== 'len' && name !== 'subseq') defs[name] = budgeted(def);

export default defineLibrary('bytes', defs);
