/**
 * Answers of worker threads that carry bytes: the buffers are moved to the calling thread rather
 * than copied. piscina moves a task's result only when it is marked with its own `move`, so the
 * marking is done here, with piscina loaded lazily (the calling thread of a pool has it already).
 */
import { createRequire } from 'node:module';

let piscina: typeof import('piscina') | undefined;
const loadPiscina = (): typeof import('piscina') => (piscina ??= createRequire(import.meta.url)('piscina') as typeof import('piscina'));

/** `value` as a worker's answer, with `buffers` moved to the calling thread rather than copied. */
export function withMoved<T>(value: T, buffers: readonly ArrayBuffer[]): T {
  if (buffers.length === 0) return value;
  const { move, transferableSymbol, valueSymbol } = loadPiscina();
  // piscina unwraps this object on the other side: the caller receives `value`.
  return move({ [transferableSymbol]: buffers, [valueSymbol]: value } as never) as T;
}

/** UTF-8 bytes of `text` in a buffer of their own, so it can be moved (Buffer.from may share a pool). */
export function ownBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * The bytes of `b` in an ArrayBuffer that holds nothing else, so moving it takes nothing from
 * anyone: a Buffer may be a view of Node's shared pool (small ones are) or of a larger piece read
 * from a file.
 */
export function ownedBytes(b: Uint8Array): Uint8Array {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && !(b.buffer instanceof SharedArrayBuffer)) return b;
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return copy;
}
