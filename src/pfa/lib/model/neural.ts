/** PFA namespace `model.neural`: feed-forward neural networks. */
import { defineLibrary } from '../define.js';
import { runtimeError } from '../../../errors.js';
import { dot } from '../../kernel/ops.js';

interface Layer {
  readonly weights: number[][];
  readonly bias: number[];
}

/** weights . input + bias, one output per row of weights. */
function affine(layer: Layer, input: readonly number[]): number[] {
  const { weights, bias } = layer;
  if (bias.length !== weights.length || weights.some((row) => row.length !== input.length)) {
    throw runtimeError(11001, 'weights, bias, or datum misaligned', 'model.neural.simpleLayers');
  }
  return weights.map((row, i) => dot(row, input) + bias[i]!);
}

export default defineLibrary('model.neural', {
  simpleLayers: {
    sig: '(datum: array<double>, model: array<record M {weights: array<array<double>>, bias: array<double>}>, activation: fn(double) -> double) -> array<double>',
    errors: [11000, 11001],
    kernel: { kind: 'layers', sigs: [0] },
    fn: (datum: number[], model: Layer[], activation: (x: number) => number): number[] => {
      if (model.length === 0) throw runtimeError(11000, 'no layers', 'model.neural.simpleLayers');
      let signal = datum;
      // Every layer but the last is followed by the activation; the last layer's output is returned as is.
      for (let i = 0; i < model.length - 1; i++) signal = affine(model[i]!, signal).map((x) => activation(x));
      return affine(model[model.length - 1]!, signal);
    },
  },
});
