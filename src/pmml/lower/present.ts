/** The present values among nullable ones, for the aggregates that skip missing values (Apply, Lag). */
import type { LowerContext } from './context.js';
import type { Pfa } from './builder.js';

/** The present values of an array of ["null", double], as array<double>. */
export function presentValues(values: Pfa, ctx: LowerContext): Pfa {
  const [x, v] = [ctx.symbol('x'), ctx.symbol('v')];
  const doubles = { type: 'array', items: 'double' };
  return {
    'a.flatMap': [
      values,
      {
        params: [{ [x]: ['null', 'double'] }],
        ret: doubles,
        do: { ifnotnull: { [v]: x }, then: { new: [v], type: doubles }, else: { type: doubles, value: [] } },
      },
    ],
  };
}
