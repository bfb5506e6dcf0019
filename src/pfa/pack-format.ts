/**
 * Format specifiers of the `pack` and `unpack` special forms (specification, "Extracting values
 * from binary"): each knows its PFA type, how to write a value and how to read one back.
 */
import { T, type AvroType } from '../avro/types.js';
import { PfaRuntimeError } from '../errors.js';

export interface PackFormat {
  readonly type: AvroType;
  /** Appends the encoding of `v` to `out`. */
  write(v: unknown, out: number[]): void;
  /** Reads one value at `pos`; returns it and the new position, or undefined when the bytes do not fit. */
  read(b: Uint8Array, pos: number): { value: unknown; pos: number } | undefined;
  /** Only `pack` accepts the bare `raw` format. */
  readonly packOnly?: boolean;
}

const ENDIAN = /^\s*(<|>|!|little|big|network)?\s*/;

function numeric(size: 1 | 2 | 4 | 8, kind: 'int' | 'uint' | 'float', little: boolean): PackFormat {
  const type =
    kind === 'float'
      ? size === 4
        ? T.float
        : T.double
      : size === 8
        ? kind === 'int'
          ? T.long
          : T.double
        : kind === 'uint' && size === 4
          ? T.long
          : T.int;
  const view = (b: Uint8Array, pos: number) => new DataView(b.buffer, b.byteOffset + pos, size);
  return {
    type,
    write(v, out) {
      const buf = new DataView(new ArrayBuffer(size));
      if (kind === 'float') {
        if (size === 4) buf.setFloat32(0, Number(v), little);
        else buf.setFloat64(0, Number(v), little);
      } else if (size === 8) {
        const big = typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
        if (kind === 'int') buf.setBigInt64(0, big, little);
        else buf.setBigUint64(0, BigInt.asUintN(64, big), little);
      } else {
        const n = Number(v);
        if (size === 1) buf.setUint8(0, n & 0xff);
        else if (size === 2) buf.setUint16(0, n & 0xffff, little);
        else buf.setUint32(0, n >>> 0, little);
      }
      for (let i = 0; i < size; i++) out.push(buf.getUint8(i));
    },
    read(b, pos) {
      if (pos + size > b.length) return undefined;
      const d = view(b, pos);
      let value: unknown;
      if (kind === 'float') value = size === 4 ? d.getFloat32(0, little) : d.getFloat64(0, little);
      else if (size === 8) value = kind === 'int' ? d.getBigInt64(0, little) : Number(d.getBigUint64(0, little));
      else if (size === 1) value = kind === 'int' ? d.getInt8(0) : d.getUint8(0);
      else if (size === 2) value = kind === 'int' ? d.getInt16(0, little) : d.getUint16(0, little);
      else value = kind === 'int' ? d.getInt32(0, little) : BigInt(d.getUint32(0, little));
      return { value, pos: pos + size };
    },
  };
}

const pad: PackFormat = {
  type: T.null,
  write: (_v, out) => void out.push(0),
  read: (b, pos) => (pos + 1 <= b.length ? { value: null, pos: pos + 1 } : undefined),
};

const boolean: PackFormat = {
  type: T.boolean,
  write: (v, out) => void out.push(v ? 1 : 0),
  read: (b, pos) => (pos + 1 <= b.length ? { value: b[pos] !== 0, pos: pos + 1 } : undefined),
};

function raw(size: number | undefined): PackFormat {
  return {
    type: T.bytes,
    ...(size === undefined ? { packOnly: true } : {}),
    write(v, out) {
      const bytes = v as Uint8Array;
      if (size !== undefined && bytes.length !== size) throw new PfaRuntimeError(3000, 'raw bytes does not have specified size');
      for (const x of bytes) out.push(x);
    },
    read(b, pos) {
      if (size === undefined || pos + size > b.length) return undefined;
      return { value: b.slice(pos, pos + size), pos: pos + size };
    },
  };
}

const nullTerminated: PackFormat = {
  type: T.bytes,
  write(v, out) {
    for (const x of v as Uint8Array) out.push(x);
    out.push(0);
  },
  read(b, pos) {
    const end = b.indexOf(0, pos);
    return end < 0 ? undefined : { value: b.slice(pos, end), pos: end + 1 };
  },
};

const lengthPrefixed: PackFormat = {
  type: T.bytes,
  write(v, out) {
    const bytes = v as Uint8Array;
    if (bytes.length > 255) throw new PfaRuntimeError(3001, 'length prefixed bytes is larger than 255 bytes');
    out.push(bytes.length);
    for (const x of bytes) out.push(x);
  },
  read(b, pos) {
    if (pos >= b.length) return undefined;
    const n = b[pos]!;
    return pos + 1 + n > b.length ? undefined : { value: b.slice(pos + 1, pos + 1 + n), pos: pos + 1 + n };
  },
};

/** Parses a format specifier; undefined when it is not one. */
export function packFormat(spec: string): PackFormat | undefined {
  if (/^\s*pad\s*$/.test(spec)) return pad;
  if (/^\s*boolean\s*$/.test(spec)) return boolean;
  if (/^\s*(byte|int8)\s*$/.test(spec)) return numeric(1, 'int', false);
  if (/^\s*unsigned\s*(byte|int8)\s*$/.test(spec)) return numeric(1, 'uint', false);
  let m = /^\s*raw\s*(\d+)?\s*$/.exec(spec);
  if (m) return raw(m[1] === undefined ? undefined : Number(m[1]));
  // The specification prints these two as `\s*null\s*?terminated\s*` and `\s*length\s*?prefixed\s*`,
  // which lost the parentheses of an optional word: both reference engines also accept the bare
  // `terminated` and `prefixed`. A hyphen (`null-terminated`) is accepted as well.
  if (/^\s*(null\s*-?\s*)?terminated\s*$/.test(spec)) return nullTerminated;
  if (/^\s*(length\s*-?\s*)?prefixed\s*$/.test(spec)) return lengthPrefixed;
  m = ENDIAN.exec(spec);
  const little = m?.[1] === '<' || m?.[1] === 'little';
  const rest = spec.slice(m ? m[0].length : 0).trim();
  const unsigned = /^unsigned\s*/.exec(rest);
  const base = unsigned ? rest.slice(unsigned[0].length) : rest;
  const kind = unsigned ? 'uint' : 'int';
  if (/^(short|int16)$/.test(base)) return numeric(2, kind, little);
  if (/^(int|int32)$/.test(base)) return numeric(4, kind, little);
  if (/^(long|long\s+long|int64)$/.test(base)) return numeric(8, kind, little);
  if (!unsigned && /^(float|float32)$/.test(base)) return numeric(4, 'float', little);
  if (!unsigned && /^(double|float64)$/.test(base)) return numeric(8, 'float', little);
  return undefined;
}
