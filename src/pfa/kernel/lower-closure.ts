/**
 * A program as a plain closure: the baseline every other lowering must agree with, and the record
 * scorer of a program too large to unroll. It calls the library's own pieces (ops.ts's dot product,
 * a link step's function, m.link.softmax's, the squared distance and ranking of model.cluster).
 */
import { lowestIndex, squaredDistance } from '../lib/model/_nearest.js';
import { dot } from './ops.js';
import type { Program, Step } from './ir.js';

/** The program over an array of `width` doubles; `act` is the call's activation when it has one. */
export type ClosureKernel = (x: readonly number[], act?: (v: number) => number) => unknown;

type Run = (v: readonly number[], act: ((v: number) => number) | undefined) => number[];

function stepRun(step: Step): Run {
  switch (step.op) {
    case 'affine': {
      const { weights, constants } = step;
      return (v) => {
        const out = new Array<number>(weights.length);
        for (let u = 0; u < weights.length; u++) out[u] = dot(weights[u]!, v) + constants[u]!;
        return out;
      };
    }
    case 'link': {
      const f = step.f;
      return (v) => v.map((x) => f(x));
    }
    case 'activation':
      return (v, act) => v.map((x) => act!(x));
    case 'softmax':
      return (v) => step.values(v);
    case 'closest': {
      const centers = step.centers;
      return (v) => [lowestIndex(centers.map((c) => squaredDistance(v, c)))];
    }
  }
}

/** The closure of `program`; an `index` result picks from `pick`. */
export function lowerClosure(program: Program, pick?: readonly unknown[]): ClosureKernel {
  const runs = program.steps.map(stepRun);
  const { result } = program;
  return (x, act) => {
    let v: readonly number[] = x;
    for (const run of runs) v = run(v, act);
    return result === 'vector' ? v : result === 'scalar' ? v[0] : pick![v[0]!];
  };
}
