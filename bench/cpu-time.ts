/**
 * CPU time of a few ways to do the same work, taken in turns: on a shared machine, wall-clock time
 * counts whatever else runs, and A measured entirely before B sees a different machine from B.
 */

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** CPU milliseconds used by this process so far (user and system). */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * For each task, the least CPU time of one call over `rounds` rounds; in each round every task
 * runs for about `ms` milliseconds, in turn (after one warm-up round). Run with --expose-gc.
 */
const gc = (globalThis as { gc?: () => void }).gc;

export function interleaved(tasks: Record<string, () => void>, rounds: number, ms: number): Record<string, number> {
  const best: Record<string, number> = {};
  for (let round = -1; round < rounds; round++) {
    for (const [name, task] of Object.entries(tasks)) {
      // Each task starts from a collected heap: otherwise the garbage of the task before (fromJson's
      // path strings, say) is collected, and counted, in the next one's time.
      gc?.();
      let calls = 0;
      const start = cpuMs();
      let now = start;
      while (now - start < ms) {
        task();
        calls++;
        now = cpuMs();
      }
      if (round >= 0) best[name] = Math.min(best[name] ?? Infinity, (now - start) / calls);
    }
  }
  return best;
}
