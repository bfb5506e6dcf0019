/**
 * Heap held by one loaded engine (a gradient-boosting model of `trees` trees), measured in a fresh
 * process: in the benchmark's own process, memory freed from earlier work makes the difference
 * meaningless. Run as `node --expose-gc --import tsx bench/heap.ts TREES`; prints the bytes.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadPfa } from '../src/index.js';
import { gbmOfSize } from './models.js';
import { pfaDocument } from './pfa.js';

const SELF = fileURLToPath(import.meta.url);

/** Bytes of heap the engine holds after a full collection, or null when the child cannot run. */
export function heapOf(trees: number): number | null {
  try {
    return Number(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, String(trees)], { encoding: 'utf8' }).trim());
  } catch {
    return null;
  }
}

if (process.argv[1] === SELF) {
  const gc = (globalThis as { gc?: () => void }).gc!;
  // A first load brings in the library's own lazily built parts, which are not the model's.
  loadPfa(pfaDocument('warmup', gbmOfSize(3)));
  const text = JSON.stringify(pfaDocument('gbm', gbmOfSize(Number(process.argv[2]))));
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const engine = loadPfa(text);
  gc();
  gc();
  process.stdout.write(`${process.memoryUsage().heapUsed - before}\n`);
  if (!engine.name) process.exitCode = 1; // keeps the engine alive until after the measurement
}
