/**
 * The row-major side of `scoreBatch` for an array of inputs: `action` called for each input, in a
 * loop made per engine. Written once as a method, the loop's call of `action` would see every
 * engine of the process and V8 would inline none of them; on a linear regression of ten features
 * (about ten nanoseconds a record) that call cost half as much again as the scoring. The source is
 * one fixed template; the action is a bound value. The closure backend, which generates no code,
 * gets the same loop as a closure.
 */
import { code, compileKernel, Scope } from '../../codegen/index.js';

export type RowLoop = (inputs: readonly unknown[]) => unknown[];

/** The loop calling `action` on each input; `generate` false for the closure backend. */
export function rowLoop(action: (input: unknown) => unknown, generate: boolean): RowLoop {
  if (!generate)
    return (inputs) => {
      const out = new Array<unknown>(inputs.length);
      for (let i = 0; i < inputs.length; i++) out[i] = action(inputs[i]);
      return out;
    };
  const scope = new Scope();
  const inputs = scope.name('inputs');
  const act = scope.bind('action', action);
  const body = code`const n = ${inputs}.length; const out = new Array(n); for (let i = 0; i < n; i++) out[i] = ${act}(${inputs}[i]); return out;`;
  return compileKernel<RowLoop>({ scope, params: [inputs], body });
}
