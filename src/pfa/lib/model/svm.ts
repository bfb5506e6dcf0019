/** PFA namespace `model.svm`: two-class support vector machine scores. */
import { defineLibrary } from '../define.js';
import { runtimeError } from '../../../errors.js';

interface SupportVector {
  readonly supVec: number[];
  readonly coeff: number;
}

type Kernel = (x: number[], y: number[]) => number;

/** Sum of coeff * kernel(supVec, datum) over one class's support vectors. */
function classScore(vectors: readonly SupportVector[], datum: number[], kernel: Kernel): number {
  let s = 0;
  for (const { supVec, coeff } of vectors) {
    if (supVec.length !== datum.length) throw runtimeError(12001, 'support vectors must have same length as datum', 'model.svm.score');
    s += kernel(supVec, datum) * coeff;
  }
  return s;
}

export default defineLibrary('model.svm', {
  score: {
    sig: '(datum: array<double>, model: record L {const: double, posClass: array<record M {supVec: array<double>, coeff: double}>, negClass: array<record N {supVec: array<double>, coeff: double}>}, kernel: fn(array<double>, array<double>) -> double) -> double',
    errors: [12000, 12001],
    fn: (datum: number[], model: { const: number; posClass: SupportVector[]; negClass: SupportVector[] }, kernel: Kernel): number => {
      if (model.negClass.length === 0 && model.posClass.length === 0) throw runtimeError(12000, 'no support vectors', 'model.svm.score');
      // The negative class first, as the reference engine evaluates (and fails) in that order.
      const negative = classScore(model.negClass, datum, kernel);
      const positive = classScore(model.posClass, datum, kernel);
      return negative + positive + model.const;
    },
  },
});
