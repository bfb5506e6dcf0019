/**
 * Python slice bounds, shared by the sequence functions of `a.*`, `s.*` and `bytes.*`: negative
 * indexes count from the end, both bounds are clamped to the sequence, and `end >= start`.
 */
export function sliceBounds(length: number, start: number, end: number): [number, number] {
  const clamp = (i: number): number => Math.min(Math.max(i < 0 ? length + i : i, 0), length);
  const s = clamp(start);
  return [s, Math.max(clamp(end), s)];
}
