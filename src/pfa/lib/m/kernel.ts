/** PFA namespace `m.kernel`: kernel functions of two vectors, as used by support vector machines. */
import { defineLibrary } from '../define.js';
import { runtimeError } from '../../../errors.js';
import { floatPower } from './_power.js';

function checkLengths(x: readonly number[], y: readonly number[], code: number, fcnName: string): void {
  if (x.length !== y.length) throw runtimeError(code, 'arrays must have same length', fcnName);
}

function dot(x: readonly number[], y: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

function squaredDistance(x: readonly number[], y: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - y[i]!;
    s += d * d;
  }
  return s;
}

type Vec = readonly number[];

export default defineLibrary('m.kernel', {
  linear: {
    sig: '(x: array<double>, y: array<double>) -> double',
    errors: [23000],
    fn: (x: Vec, y: Vec) => {
      checkLengths(x, y, 23000, 'm.kernel.linear');
      return dot(x, y);
    },
  },
  rbf: {
    sig: '(x: array<double>, y: array<double>, gamma: double) -> double',
    errors: [23010],
    fn: (x: Vec, y: Vec, gamma: number) => {
      checkLengths(x, y, 23010, 'm.kernel.rbf');
      return Math.exp(-gamma * squaredDistance(x, y));
    },
  },
  poly: {
    sig: '(x: array<double>, y: array<double>, gamma: double, intercept: double, degree: double) -> double',
    errors: [23020],
    fn: (x: Vec, y: Vec, gamma: number, intercept: number, degree: number) => {
      checkLengths(x, y, 23020, 'm.kernel.poly');
      return floatPower(gamma * dot(x, y) + intercept, degree);
    },
  },
  sigmoid: {
    sig: '(x: array<double>, y: array<double>, gamma: double, intercept: double) -> double',
    errors: [23030],
    fn: (x: Vec, y: Vec, gamma: number, intercept: number) => {
      checkLengths(x, y, 23030, 'm.kernel.sigmoid');
      return Math.tanh(gamma * dot(x, y) + intercept);
    },
  },
});
