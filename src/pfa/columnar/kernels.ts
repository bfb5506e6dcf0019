/**
 * The columnar kernels as callable functions over a memory of their own. The module is compiled
 * once per process, on first use; every PlanRunner (one per ColumnBatch, and the one an engine
 * keeps for arrays of records) instantiates it over its own memory, a few microseconds, so batches
 * never share or overwrite each other's data.
 *
 * Where WebAssembly is missing or refused (a page whose Content-Security-Policy forbids compiling
 * it), `kernelModule()` is undefined and batches are scored record by record instead.
 */
import { exp, expTable } from '../lib/m/_exp.js';
import { KERNELS_BASE64 } from './kernels.generated.js';
import { kernelTable, TABLE_BYTES } from './kernels-source.js';

/** What the kernels need of the WebAssembly API (typed here: the library's TypeScript lib is ES2022 alone). */
interface Wasm {
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  readonly Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
}
export type WasmModule = { readonly __module: unique symbol };
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

const wasm = (globalThis as { WebAssembly?: Wasm }).WebAssembly;

export interface Kernels {
  readonly memory: WasmMemory;
  /** out[u][i] = sum_j w[u][j] x[j][i] + b[u]; byte addresses, columns of n doubles (n a multiple of 8). */
  affine(x: number, n: number, d: number, w: number, b: number, k: number, out: number): void;
  /** v = exp(v) over `count` doubles (a multiple of 4). */
  exp(p: number, count: number): void;
  /** v = 1 / (1 + exp(-v)) over `count` doubles (a multiple of 4). */
  logistic(p: number, count: number): void;
  /** m.link.softmax of each record, over k columns of n doubles. */
  softmax(p: number, n: number, k: number): void;
}

let compiled: WasmModule | null | undefined;

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The compiled module, or undefined where WebAssembly (with SIMD) is not available. */
export function kernelModule(): WasmModule | undefined {
  if (compiled === undefined) {
    try {
      compiled = wasm ? new wasm.Module(decode(KERNELS_BASE64)) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled ?? undefined;
}

/** The first byte address free for data, after the exp table. */
export const DATA_START = TABLE_BYTES;

const PAGE = 65536;

let table: Float64Array | undefined;

/** The kernels over a fresh memory of at least `bytes` bytes of data (after the exp table). */
export function instantiate(module: WasmModule, bytes: number): Kernels {
  const pages = Math.ceil((DATA_START + bytes) / PAGE);
  const memory = new wasm!.Memory({ initial: pages, maximum: pages });
  new Float64Array(memory.buffer, 0, TABLE_BYTES / 8).set((table ??= kernelTable(expTable())));
  const exports = new wasm!.Instance(module, { env: { memory, exp } }).exports as Omit<Kernels, 'memory'>;
  return { memory, affine: exports.affine, exp: exports.exp, logistic: exports.logistic, softmax: exports.softmax };
}
