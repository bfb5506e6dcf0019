/**
 * Avro binary → Avro's JSON encoding (unions tagged, bytes and fixed as strings of code points
 * 0-255, longs beyond 2^53 as bigints), for the records of an object container. Written here
 * rather than taken from avsc because a container is untrusted input: every length and count is
 * checked against the bytes that remain before anything is allocated, strings must be UTF-8, and
 * nesting is bounded, so a corrupt block is an error and never a hang or an exhausted heap.
 */
import type { TrajanErrorCode } from '../error-codes.js';
import { isUtf8 } from 'node:buffer';
import { branchName } from '../avro/json.js';
import type { AvroType } from '../avro/types.js';
import { setField } from '../avro/values.js';
import { MAX_NESTING } from '../io/input-error.js';

export class DecodeError extends Error {
  constructor(
    readonly code: TrajanErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A position in a buffer of Avro binary data. */
export class Cursor {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}

  get left(): number {
    return this.buf.length - this.pos;
  }
}

const truncated = (): DecodeError => new DecodeError('avro-truncated', 'the data ends inside a value');

/** A zigzag varint long: a number when it is a safe integer, else a bigint. */
export function readLong(c: Cursor): number | bigint {
  const { buf } = c;
  let pos = c.pos;
  let b = buf[pos++];
  if (b === undefined) throw truncated();
  if (b < 0x80) {
    c.pos = pos;
    return b & 1 ? -((b + 1) / 2) : b / 2;
  }
  // Up to 7 bytes (49 bits) add up exactly in a double; longer ones are read as bigints.
  let value = b & 0x7f;
  let scale = 128;
  for (let i = 1; i < 7; i++) {
    b = buf[pos++];
    if (b === undefined) throw truncated();
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) {
      c.pos = pos;
      return value % 2 ? -(value + 1) / 2 : value / 2;
    }
  }
  let big = 0n;
  pos = c.pos;
  for (let shift = 0n; ; shift += 7n) {
    b = buf[pos++];
    if (b === undefined) throw truncated();
    if (shift === 63n && b > 1) throw new DecodeError('avro-varint', 'a long takes more than 64 bits');
    big |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) break;
  }
  c.pos = pos;
  const n = big & 1n ? -((big + 1n) >> 1n) : big >> 1n;
  return Number.isSafeInteger(Number(n)) ? Number(n) : n;
}

/** A length or count that must be a small non-negative number. */
function readLength(c: Cursor, what: string): number {
  const n = readLong(c);
  if (typeof n !== 'number' || n < 0) throw new DecodeError('avro-length', `${what} of ${n} is not a valid length`);
  if (n > c.left) throw truncated();
  return n;
}

/** Fewest bytes a value of `t` takes: a block's count can be checked against its size with it. */
export function minBytes(t: AvroType, seen = new Set<AvroType>()): number {
  switch (t.kind) {
    case 'null':
      return 0;
    case 'float':
      return 4;
    case 'double':
      return 8;
    case 'fixed':
      return t.size;
    case 'record': {
      if (seen.has(t)) return 0;
      seen.add(t);
      let n = 0;
      for (const f of t.fields) n += minBytes(f.type, seen);
      seen.delete(t);
      return n;
    }
    default:
      return 1;
  }
}

/** Items of a zero-byte type (arrays of nulls) one array or map block may claim. */
const MAX_EMPTY_ITEMS = 1_000_000;

type Decode = (c: Cursor, depth: number) => unknown;

/** A decoder of values of `t`; the value it reads nests at most MAX_NESTING levels. */
export function decoderFor(t: AvroType): (c: Cursor) => unknown {
  const named = new Map<AvroType, Decode>();

  const blocks = (c: Cursor, itemBytes: number, what: string, each: () => void): void => {
    for (;;) {
      let n = readLong(c);
      if (n === 0) return;
      if (typeof n !== 'number') throw new DecodeError('avro-length', `${what} block count ${n} is too large`);
      if (n < 0) {
        n = -n;
        readLong(c); // the block's size in bytes, not needed to read it
      }
      if (itemBytes > 0 ? n * itemBytes > c.left : n > MAX_EMPTY_ITEMS)
        throw new DecodeError('avro-length', `${what} block of ${n} items does not fit in the ${c.left} bytes left`);
      for (let i = 0; i < n; i++) each();
    }
  };

  const build = (t: AvroType): Decode => {
    switch (t.kind) {
      case 'null':
        return () => null;
      case 'boolean':
        return (c) => {
          const b = c.buf[c.pos++];
          if (b === 0 || b === 1) return b === 1;
          if (b === undefined) throw truncated();
          throw new DecodeError('avro-value', `boolean byte ${b} is neither 0 nor 1`);
        };
      case 'int':
        return (c) => {
          const n = readLong(c);
          if (typeof n !== 'number' || n < -0x80000000 || n > 0x7fffffff) throw new DecodeError('avro-value', `int ${n} is out of range`);
          return n;
        };
      case 'long':
        return readLong;
      case 'float':
        return (c) => {
          if (c.left < 4) throw truncated();
          c.pos += 4;
          return c.buf.readFloatLE(c.pos - 4);
        };
      case 'double':
        return (c) => {
          if (c.left < 8) throw truncated();
          c.pos += 8;
          return c.buf.readDoubleLE(c.pos - 8);
        };
      case 'bytes':
        return (c) => {
          const n = readLength(c, 'bytes');
          c.pos += n;
          return c.buf.toString('latin1', c.pos - n, c.pos);
        };
      case 'string':
        return (c) => {
          const n = readLength(c, 'string');
          const bytes = c.buf.subarray(c.pos, c.pos + n);
          c.pos += n;
          if (!isUtf8(bytes)) throw new DecodeError('avro-value', 'a string is not valid UTF-8');
          return bytes.toString('utf8');
        };
      case 'fixed': {
        const size = t.size;
        return (c) => {
          if (c.left < size) throw truncated();
          c.pos += size;
          return c.buf.toString('latin1', c.pos - size, c.pos);
        };
      }
      case 'enum': {
        const symbols = t.symbols;
        return (c) => {
          const i = readLong(c);
          const s = typeof i === 'number' ? symbols[i] : undefined;
          if (s === undefined) throw new DecodeError('avro-value', `enum index ${i} is out of range`);
          return s;
        };
      }
      case 'array': {
        const item = decode(t.items);
        const size = minBytes(t.items);
        return (c, depth) => {
          if (depth >= MAX_NESTING) throw new DecodeError('too-deep', `nested deeper than ${MAX_NESTING} levels`);
          const out: unknown[] = [];
          blocks(c, size, 'array', () => out.push(item(c, depth + 1)));
          return out;
        };
      }
      case 'map': {
        const value = decode(t.values);
        const size = 1 + minBytes(t.values);
        const key = build({ kind: 'string' });
        return (c, depth) => {
          if (depth >= MAX_NESTING) throw new DecodeError('too-deep', `nested deeper than ${MAX_NESTING} levels`);
          const out: Record<string, unknown> = {};
          blocks(c, size, 'map', () => {
            const k = key(c, depth) as string;
            setField(out, k, value(c, depth + 1));
          });
          return out;
        };
      }
      case 'union': {
        const branches = t.types.map((b) => ({ name: b.kind === 'null' ? undefined : branchName(b), read: decode(b) }));
        return (c, depth) => {
          const i = readLong(c);
          const b = typeof i === 'number' ? branches[i] : undefined;
          if (!b) throw new DecodeError('avro-value', `union branch ${i} is out of range`);
          if (b.name === undefined) return null;
          const out: Record<string, unknown> = {};
          setField(out, b.name, b.read(c, depth + 1));
          return out;
        };
      }
      case 'record': {
        const fields: { name: string; read: Decode }[] = [];
        const read: Decode = (c, depth) => {
          if (depth >= MAX_NESTING) throw new DecodeError('too-deep', `nested deeper than ${MAX_NESTING} levels`);
          const out: Record<string, unknown> = {};
          for (const f of fields) setField(out, f.name, f.read(c, depth + 1));
          return out;
        };
        // Registered before its fields are built, so a record that contains itself refers to this decoder.
        named.set(t, read);
        for (const f of t.fields) fields.push({ name: f.name, read: decode(f.type) });
        return read;
      }
    }
  };

  function decode(t: AvroType): Decode {
    return named.get(t) ?? build(t);
  }

  const top = decode(t);
  return (c) => top(c, 0);
}
