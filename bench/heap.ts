/**
 * Load time, first-score latency and memory of one loaded engine (a gradient-boosting model of
 * `trees` trees), each measured in a fresh process: in the benchmark's own process, code and memory
 * left by earlier work make both meaningless. Run as
 * `node --expose-gc --import tsx bench/heap.ts first|heap TREES`; prints one JSON object.
 *
 * Memory counts the JavaScript heap and ArrayBuffers (`process.memoryUsage().arrayBuffers`): the
 * typed arrays of compiled models and the kernels' WebAssembly memory live outside the heap, and
 * `heapUsed` alone would miss them.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadPfa } from '../src/index.js';
import { gbmInput, gbmOfSize } from './models.js';
import { pfaDocument, pfaText } from './pfa.js';

const SELF = fileURLToPath(import.meta.url);

export interface FreshFigures {
  /** Load, check and compile, the first load of the process (nothing of the library warmed). */
  readonly loadMs: number;
  /** The first score after that load. */
  readonly firstScoreMs: number;
}

function child<T>(mode: 'first' | 'heap', trees: number): T | null {
  try {
    return JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, mode, String(trees)], { encoding: 'utf8' }).trim(),
    ) as T;
  } catch {
    return null;
  }
}

/** Load and first-score time of the model in a fresh process, or null when the child cannot run. */
export function freshOf(trees: number): FreshFigures | null {
  return child<FreshFigures>('first', trees);
}

/** Bytes (heap and ArrayBuffers) the engine holds after a full collection, or null when the child cannot run. */
export function heapOf(trees: number): number | null {
  return child<{ bytes: number }>('heap', trees)?.bytes ?? null;
}

/** Heap used plus ArrayBuffers, after two full collections. */
export function memoryNow(): number {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

if (process.argv[1] === SELF) {
  const [mode, trees] = [process.argv[2], Number(process.argv[3])];
  const text = pfaText('gbm', gbmOfSize(trees));
  if (mode === 'first') {
    const input = gbmInput();
    const t0 = performance.now();
    const engine = loadPfa(text);
    const t1 = performance.now();
    engine.action(input);
    const t2 = performance.now();
    process.stdout.write(`${JSON.stringify({ loadMs: t1 - t0, firstScoreMs: t2 - t1 })}\n`);
  } else {
    // A first load brings in the library's own lazily built parts, which are not the model's.
    loadPfa(pfaDocument('warmup', gbmOfSize(3)));
    const before = memoryNow();
    const engine = loadPfa(text);
    const bytes = memoryNow() - before;
    process.stdout.write(`${JSON.stringify({ bytes })}\n`);
    if (!engine.name) process.exitCode = 1; // keeps the engine alive until after the measurement
  }
}
