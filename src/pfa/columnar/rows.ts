/**
 * The row-major side of `scoreBatch` for an array of inputs: `action` called for each input, in a
 * loop made per engine. Written once as a method, the loop's call of `action` would see every
 * engine of the process and V8 would inline none of them; on a linear regression of ten features
 * (about ten nanoseconds a record) that call cost half as much again as the scoring. The source is
 * one fixed template; the action is a bound value.
 */
import { compileKernel } from '../../codegen.js';

export type RowLoop = (inputs: readonly unknown[]) => unknown[];

const loops = new WeakMap<object, RowLoop>();

/** The loop calling `action` on each input, made once per `owner` (the engine). */
export function rowLoop(owner: object, action: (input: unknown) => unknown): RowLoop {
  let loop = loops.get(owner);
  if (!loop) {
    const body = 'const n = inputs.length; const out = new Array(n); for (let i = 0; i < n; i++) out[i] = action(inputs[i]); return out;';
    loop = compileKernel<RowLoop>({ params: ['inputs'], body, bound: { action } });
    loops.set(owner, loop);
  }
  return loop;
}
