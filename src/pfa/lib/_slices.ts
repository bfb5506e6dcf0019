/**
 * Python slice bounds, shared by the sequence functions of `a.*`, `s.*` and `bytes.*`: negative
 * indexes count from the end, both bounds are clamped to the sequence, and `end >= start`.
 */
export function sliceBounds(length: number, start: number, end: number): [number, number] {
  const s = clamp(start, length);
  return [s, Math.max(clamp(end, length), s)];
}

/** An index of a slice, counted from the end when negative, within [0, length]. */
function clamp(i: number, length: number): number {
  return Math.min(Math.max(i < 0 ? length + i : i, 0), length);
}
