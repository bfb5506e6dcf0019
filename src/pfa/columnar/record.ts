/**
 * A columnar plan (plan.ts) as the engine's fast path for `action`, one record at a time: the
 * plan's program lowered to JavaScript (kernel/lower-js.ts) that reads the input array once,
 * testing each element's type as it reads it, where the generic driver first checks the whole
 * input against its type and then runs the compiled action (for a regression over a hundred
 * features, the check alone cost as much as the dot product). It needs no frame and no budget
 * either: a plan has no variables and no loops a document controls. A plan too large to unroll
 * runs as the program's closure (kernel/lower-closure.ts) after the one input check of the engine
 * (avro/fits.ts, generated once from the plan's input type) and a test of the width.
 *
 * An input it does not take — not an array of `width` numbers — throws MISS (thrown rather than
 * returned, so that a numeric result is never boxed: lower-js.ts), and the engine scores it the
 * generic way, which raises the same errors as ever.
 */
import { fits } from '../../avro/fits.js';
import { MAX_UNROLLED, programSize } from '../kernel/ir.js';
import { lowerClosure } from '../kernel/lower-closure.js';
import { lowerJs } from '../kernel/lower-js.js';
import type { Plan } from './plan.js';

/** What the scorer throws for an input it leaves to the generic path. */
export const MISS: unique symbol = Symbol('miss');

/** The per-record scorer of `plan`: the action's result for an array of `plan.width` numbers; throws MISS for anything else. */
export function recordScorer(plan: Plan): (input: unknown) => unknown {
  if (programSize(plan) <= MAX_UNROLLED) return lowerJs(plan, { fallback: { kind: 'miss', miss: MISS } });
  const run = lowerClosure(plan);
  const width = plan.width;
  const ok = fits(plan.input);
  return (input) => {
    if (!ok(input) || (input as readonly number[]).length !== width) throw MISS;
    return run(input as number[]);
  };
}
