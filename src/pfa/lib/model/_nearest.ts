/**
 * Distance ranking shared by `model.cluster` and `model.neighbor`, with the reference engine's
 * semantics for ties and NaN.
 */

/**
 * Squared Euclidean distance over the common length of the two vectors (the reference engine pairs
 * components up to the shorter vector, without a dimension check).
 */
export function squaredDistance(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return s;
}

/**
 * Indexes of the `n` lowest distances, lowest first; ties keep their original order. Built by
 * insertion, as the reference engine does: each distance goes before the first kept one it is
 * strictly less than, so a NaN distance never displaces anything and nothing displaces it.
 */
export function lowestIndexes(distances: readonly number[], n: number): number[] {
  const out: number[] = [];
  if (n <= 0) return out;
  for (let i = 0; i < distances.length; i++) {
    const d = distances[i]!;
    const at = out.findIndex((j) => d < distances[j]!);
    if (at < 0) {
      if (out.length < n) out.push(i);
    } else {
      out.splice(at, 0, i);
      if (out.length > n) out.pop();
    }
  }
  return out;
}

/** Index of the lowest distance (the first of equals; a leading NaN is never displaced), or -1 if there is none. */
export function lowestIndex(distances: readonly number[]): number {
  if (distances.length === 0) return -1;
  let best = 0;
  for (let i = 1; i < distances.length; i++) if (distances[i]! < distances[best]!) best = i;
  return best;
}
