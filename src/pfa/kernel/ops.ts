/**
 * The arithmetic every lowering of an affine step performs, written once for the closures: the
 * generic model.reg.linear and model.neural.simpleLayers call it, and so does the closure lowering.
 * The generated JavaScript and the WebAssembly kernels perform the same operations in the same
 * order (a running sum from 0 over j in order, then the constant), which the differential spec
 * checks bit for bit.
 */

/** sum over j of row[j] * x[j], from 0 in order of j; the caller has checked the lengths agree. */
export function dot(row: readonly number[], x: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < row.length; j++) s += row[j]! * x[j]!;
  return s;
}
