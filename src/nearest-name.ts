/**
 * The known name a caller most likely meant by an unknown one: equal but for case and separators
 * (`sepal_length` for `sepal length`), else the nearest by edit distance within a limit. Used for the
 * "did you mean" of unknown record fields and unknown options.
 */

/** The name of `known` nearest to `name`, or undefined when none is within `limit` edits. */
export function nearestName(name: string, known: Iterable<string>, limit: number): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[\s_.-]+/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = squash(k) === squash(name) ? 0 : distance(name.toLowerCase(), k.toLowerCase(), Math.min(bestDistance, limit));
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= limit ? best : undefined;
}

/** Levenshtein distance, giving up (Infinity) once every path exceeds `bound`; long names are cut. */
function distance(a: string, b: string, bound: number): number {
  const [s, t] = [a.slice(0, 64), b.slice(0, 64)];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let min = i;
    for (let j = 1; j <= t.length; j++) {
      const v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
      row.push(v);
      if (v < min) min = v;
    }
    if (min > bound) return Infinity;
    prev = row;
  }
  return prev[t.length]!;
}
