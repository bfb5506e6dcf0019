/**
 * Avro object container files in, checked as they stream: the header (magic, metadata, sync
 * marker), then blocks of `count` records in `size` bytes, each followed by the sync marker.
 * Every way a file can be cut or corrupted (inside the header or a block, a negative or impossible
 * count or size, a wrong sync marker, a block whose records do not fill it exactly) is an
 * InputError naming the first record that could not be read; the records before it are still
 * yielded. Blocks are held whole, so a block may not claim more than MAX_RECORD_BYTES.
 */
import type { TrajanErrorCode } from '../error-codes.js';
import type { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import { NameRegistry, parseSchema } from '../avro/schema.js';
import type { AvroType } from '../avro/types.js';
import { Cursor, DecodeError, decoderFor, minBytes, readLong } from './avro-decode.js';
import { InputError, MAX_NESTING, MAX_RECORD_BYTES, nestsDeeperThan } from '../io/input-error.js';

const MAGIC = Buffer.from('Obj\x01', 'latin1');
const SYNC = 16;
/** Records of a type that takes no bytes one block may claim. */
const MAX_EMPTY_RECORDS = 1_000_000;
/** Metadata entries a header may have; real files have a handful. */
const MAX_METADATA = 1024;

/** The bytes of a stream, pulled as needed and consumed from the front. */
class Bytes {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended = false;
  /** Bytes consumed so far: the offset of the next byte in the file. */
  offset = 0;

  constructor(private readonly source: AsyncIterator<Buffer | string>) {}

  /** Pulls chunks until `n` bytes are buffered or the stream ends; whether there are `n`. */
  async fill(n: number): Promise<boolean> {
    while (this.length < n && !this.ended) {
      const next = await this.source.next();
      if (next.done) this.ended = true;
      else {
        const b = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
        this.chunks.push(b);
        this.length += b.length;
      }
    }
    return this.length >= n;
  }

  get available(): number {
    return this.length;
  }

  /** The first `n` buffered bytes (n ≤ available), without consuming them. */
  peek(n: number): Buffer {
    if (this.chunks.length > 1 && this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]?.subarray(0, n) ?? Buffer.alloc(0);
  }

  skip(n: number): void {
    this.offset += n;
    this.length -= n;
    while (n > 0) {
      const first = this.chunks[0]!;
      if (first.length > n) {
        this.chunks[0] = first.subarray(n);
        return;
      }
      n -= first.length;
      this.chunks.shift();
    }
  }

  take(n: number): Buffer {
    const b = Buffer.from(this.peek(n));
    this.skip(n);
    return b;
  }
}

/** Reads the records of an object container file, block by block. */
export async function* avroContainer(input: Readable): AsyncGenerator<unknown[]> {
  const bytes = new Bytes(input[Symbol.asyncIterator]());
  let records = 0; // records yielded so far
  const fail = (code: TrajanErrorCode, message: string): InputError =>
    new InputError(code, `record ${records + 1}: ${message} (byte ${bytes.offset})`, records + 1);

  /** A varint long from the stream. */
  const long = async (what: string): Promise<number | bigint> => {
    await bytes.fill(10);
    const c = new Cursor(bytes.peek(Math.min(10, bytes.available)));
    try {
      const n = readLong(c);
      bytes.skip(c.pos);
      return n;
    } catch (e) {
      if (e instanceof DecodeError && e.code === 'avro-truncated') throw fail('avro-truncated', `the file ends inside ${what}`);
      throw fail('avro-corrupt', `${what}: ${(e as Error).message}`);
    }
  };
  const exactly = async (n: number, what: string): Promise<Buffer> => {
    if (!(await bytes.fill(n))) throw fail('avro-truncated', `the file ends inside ${what}: ${n} bytes expected, ${bytes.available} left`);
    return bytes.take(n);
  };

  // Header
  if (!(await bytes.fill(MAGIC.length))) {
    if (bytes.available === 0) throw fail('avro-truncated', 'the file is empty, not an Avro container');
    throw fail('avro-truncated', 'the file ends inside the header');
  }
  if (!bytes.peek(MAGIC.length).equals(MAGIC)) throw fail('avro-header', 'not an Avro object container (bad magic bytes)');
  bytes.skip(MAGIC.length);
  const meta = new Map<string, Buffer>();
  let headerBytes = 0;
  for (;;) {
    let count = await long('the header');
    if (count === 0) break;
    if (typeof count !== 'number') throw fail('avro-header', `metadata count ${count} is too large`);
    if (count < 0) {
      count = -count;
      await long('the header');
    }
    if (meta.size + count > MAX_METADATA) throw fail('avro-header', `more than ${MAX_METADATA} metadata entries`);
    for (let i = 0; i < count; i++) {
      const entry: Buffer[] = [];
      for (const what of ['metadata key', 'metadata value']) {
        const n = await long('the header');
        if (typeof n !== 'number' || n < 0 || headerBytes + n > MAX_RECORD_BYTES)
          throw fail('avro-header', `${what} length ${n} is not valid`);
        headerBytes += n;
        entry.push(await exactly(n, 'the header'));
      }
      meta.set(entry[0]!.toString('utf8'), entry[1]!);
    }
  }
  const sync = await exactly(SYNC, 'the header');

  const codec = meta.get('avro.codec')?.toString('utf8') ?? 'null';
  if (codec !== 'null' && codec !== 'deflate') throw fail('avro-codec', `codec ${codec} is not supported (null and deflate are)`);
  const schemaText = meta.get('avro.schema');
  if (!schemaText) throw fail('avro-header', 'the header has no avro.schema');
  let type: AvroType;
  let decode: (c: Cursor) => unknown;
  try {
    const json = JSON.parse(schemaText.toString('utf8')) as unknown;
    if (nestsDeeperThan(json, MAX_NESTING)) throw new Error(`nested deeper than ${MAX_NESTING} levels`);
    type = parseSchema(json, new NameRegistry());
    decode = decoderFor(type);
  } catch (e) {
    throw fail('avro-schema', `the schema in the header is not valid: ${(e as Error).message}`);
  }
  const itemBytes = minBytes(type);

  // Blocks
  for (let block = 1; ; block++) {
    if (!(await bytes.fill(1))) return;
    const count = await long(`the count of block ${block}`);
    const size = await long(`the size of block ${block}`);
    if (typeof count !== 'number' || count < 0 || count > MAX_RECORD_BYTES)
      throw fail('avro-block-count', `block ${block} claims ${count} records`);
    if (typeof size !== 'number' || size < 0 || size > MAX_RECORD_BYTES)
      throw fail('avro-block-size', `block ${block} claims ${size} bytes (the limit is ${MAX_RECORD_BYTES})`);
    if (codec === 'null' && count * itemBytes > size)
      throw fail('avro-block-count', `block ${block} claims ${count} records in ${size} bytes`);
    // Records that take no bytes (a schema of nulls) are not bounded by the block's size.
    if (itemBytes === 0 && count > MAX_EMPTY_RECORDS)
      throw fail('avro-block-count', `block ${block} claims ${count} records of no bytes each (the limit is ${MAX_EMPTY_RECORDS})`);
    let data = await exactly(size, `block ${block}`);
    const marker = await exactly(SYNC, `the sync marker after block ${block}`);
    if (!marker.equals(sync)) throw fail('avro-sync', `the sync marker after block ${block} does not match the header's`);
    if (codec === 'deflate') {
      try {
        data = inflateRawSync(data, { maxOutputLength: MAX_RECORD_BYTES });
      } catch (e) {
        throw fail('avro-deflate', `block ${block} does not inflate: ${(e as Error).message}`);
      }
      if (count * itemBytes > data.length) throw fail('avro-block-count', `block ${block} claims ${count} records in ${data.length} bytes`);
    }
    const c = new Cursor(data);
    const out: unknown[] = [];
    let error: InputError | undefined;
    for (let i = 0; i < count; i++) {
      try {
        out.push(decode(c));
      } catch (e) {
        const msg = e instanceof DecodeError ? e.message : `cannot be decoded: ${(e as Error).message}`;
        error = new InputError(
          e instanceof DecodeError ? e.code : 'avro-corrupt',
          `record ${records + out.length + 1}: ${msg} (block ${block})`,
          records + out.length + 1,
        );
        break;
      }
    }
    if (!error && c.left > 0)
      error = new InputError(
        'avro-corrupt',
        `record ${records + count + 1}: block ${block} has ${c.left} bytes after its ${count} records`,
        records + count + 1,
      );
    if (out.length) yield out;
    records += out.length;
    if (error) throw error;
  }
}
