/**
 * A program as calls of the columnar WebAssembly kernels (columnar/kernels-source.ts): where each
 * step's numbers and output columns live in the kernels' memory, and which kernel runs each step.
 * The kernels are the same for every model (they read the weights from memory), so lowering is a
 * layout, not code. Only affine, logistic and softmax steps have kernels (`columnarSteps`).
 */
import type { AffineStep, LinkStep, Program, SoftmaxStep, Step } from './ir.js';

export type ColumnarStep = AffineStep | (LinkStep & { readonly link: 'logistic' }) | SoftmaxStep;

/** One kernel call; byte addresses. */
export type ColumnarOp =
  | {
      readonly op: 'affine';
      readonly x: number;
      readonly d: number;
      readonly w: number;
      readonly b: number;
      readonly k: number;
      readonly out: number;
    }
  | { readonly op: 'logistic'; readonly p: number; readonly count: number }
  | { readonly op: 'softmax'; readonly p: number; readonly k: number };

export interface ColumnarLayout {
  /** Bytes of data from `start`: the input columns, then each affine step's weights, constants and output columns. */
  readonly bytes: number;
  readonly ops: readonly ColumnarOp[];
  /** The numbers to write before the first run: [byte address, values]. */
  readonly constants: readonly (readonly [number, readonly number[]])[];
  /** Byte address of the result columns. */
  readonly result: number;
}

const isColumnar = (s: Step): s is ColumnarStep => s.op === 'affine' || s.op === 'softmax' || (s.op === 'link' && s.link === 'logistic');

/** Whether every step of the program has a columnar kernel. */
export function columnarSteps(program: Program): program is Program & { readonly steps: readonly ColumnarStep[] } {
  return program.result !== 'index' && program.steps.every(isColumnar);
}

const BYTES = 8;

/** The layout of `program` for columns of `n` doubles (a multiple of 8), its data from byte `start`. */
export function layoutColumns(program: Program & { readonly steps: readonly ColumnarStep[] }, n: number, start: number): ColumnarLayout {
  const ops: ColumnarOp[] = [];
  const constants: [number, readonly number[]][] = [];
  let next = start + program.width * n * BYTES;
  let current = start;
  let width = program.width;
  for (const s of program.steps) {
    if (s.op === 'affine') {
      const w = next;
      for (const [u, row] of s.weights.entries()) constants.push([w + u * s.inputs * BYTES, row]);
      const b = w + s.outputs * s.inputs * BYTES;
      constants.push([b, s.constants]);
      const out = b + s.outputs * BYTES;
      next = out + s.outputs * n * BYTES;
      ops.push({ op: 'affine', x: current, d: s.inputs, w, b, k: s.outputs, out });
      current = out;
      width = s.outputs;
    } else if (s.op === 'link') ops.push({ op: 'logistic', p: current, count: width * n });
    else ops.push({ op: 'softmax', p: current, k: width });
  }
  return { bytes: next - start, ops, constants, result: current };
}
