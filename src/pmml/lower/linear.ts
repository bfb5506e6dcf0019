/**
 * Linear predictors in a cell: `rows . x + constants`, one double per row, computed by PFA's
 * `model.reg.linear` (which sums the products in row order and adds the constant last, as the
 * reference evaluators do for regression betas and neuron weights).
 */
import type { LowerContext } from './context.js';
import type { Pfa } from './builder.js';

const DOUBLES = { type: 'array', items: 'double' };
const LINEAR = {
  type: 'record',
  name: 'LinearPredictors',
  fields: [
    { name: 'coeff', type: { type: 'array', items: DOUBLES } },
    { name: 'const', type: DOUBLES },
  ],
};

/** An array<double> expression: the rows applied to `x` (an array<double>); the rows go into a cell. */
export function linearPredictors(
  ctx: LowerContext,
  hint: string,
  x: Pfa,
  rows: readonly (readonly number[])[],
  constants?: readonly number[],
): Pfa {
  const cell = ctx.symbol(hint);
  ctx.cells[cell] = { type: ctx.namedType(LINEAR), init: { coeff: rows, const: constants ?? rows.map(() => 0) } };
  return { 'model.reg.linear': [x, { cell }] };
}
