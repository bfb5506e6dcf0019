/**
 * A columnar plan (plan.ts) as source for one record at a time: the engine's fast path for
 * `action` when the action is a plan. It reads the input array once, testing each element's type
 * as it reads it, where the generic driver first checks the whole input against its type and then
 * runs the compiled action (for a regression over a hundred features, the check alone cost as
 * much as the dot product). It needs no frame and no budget either: a plan has no variables and
 * no loops a document controls.
 *
 * Its results are the compiled action's, operation for operation: dot products run from 0 in order
 * and then add the constant, the logistic is 1 / (1 + exp(-h)) and softmax is m.link.softmax's
 * sequence. An input it does not take — not an array of `width` numbers — gets MISS, and the engine
 * scores it the generic way, which raises the same errors as ever.
 */
import { compileKernel, num } from '../../codegen.js';
import { exp } from '../lib/m/_exp.js';
import { MAX_UNROLLED } from '../compile/specialize/linear.js';
import type { AffineStep, Plan } from './plan.js';

/** What the scorer returns for an input it leaves to the generic path. */
export const MISS: unique symbol = Symbol('miss');


/** Source computing one affine step from the values `inputs` (expressions), into fresh locals; returns their names. */
function unrolled(step: AffineStep, inputs: readonly string[], names: string, out: string[], check: boolean): string[] {
  return step.weights.map((row, u) => {
    const terms = row.map((c, j) => {
      // The first unit of the first step reads the input and tests each element as it goes.
      if (check && u === 0) return `v = ${inputs[j]}; if (typeof v !== "number") return MISS; s += ${num(c)} * v;`;
      return `s += ${num(c)} * ${inputs[j]};`;
    });
    out.push(`s = 0; ${terms.join(' ')} const ${names}${u} = s + ${num(step.constants[u]!)};`);
    return `${names}${u}`;
  });
}

/** Source computing one affine step from the array `from` by loops over bound weights; returns the array's name. */
function looped(step: AffineStep, from: string, name: string, bound: Record<string, unknown>, out: string[]): string {
  const w = `W_${name}`;
  const b = `B_${name}`;
  bound[w] = Float64Array.from(step.weights.flat());
  bound[b] = Float64Array.from(step.constants);
  out.push(`const ${name} = new Array(${num(step.outputs)});
    for (let u = 0; u < ${num(step.outputs)}; u++) { s = 0; const o = u * ${num(step.inputs)}; for (let j = 0; j < ${num(step.inputs)}; j++) s += ${w}[o + j] * ${from}[j]; ${name}[u] = s + ${b}[u]; }`);
  return name;
}

/** The per-record scorer of `plan`: the action's result for an array of `plan.width` numbers, else MISS. */
export function recordScorer(plan: Plan): (input: unknown) => unknown {
  const out: string[] = [];
  const bound: Record<string, unknown> = { MISS, exp };
  const weights = plan.steps.reduce((n, s) => n + (s.op === 'affine' ? s.inputs * s.outputs : 0), 0);
  // Beyond the specialised backend's limit for unrolled source, dot products are loops over typed arrays.
  const unroll = weights <= MAX_UNROLLED;
  // The current values: named locals when unrolled, else one array.
  let values: string[] = Array.from({ length: plan.width }, (_, j) => `x[${j}]`);
  let array = 'x';
  if (!unroll) out.push(`for (let j = 0; j < ${num(plan.width)}; j++) if (typeof x[j] !== "number") return MISS;`);
  plan.steps.forEach((step, i) => {
    if (step.op === 'affine') {
      if (unroll) values = unrolled(step, values, `h${i}_`, out, i === 0);
      else array = looped(step, array, `h${i}`, bound, out);
    } else if (step.op === 'logistic') {
      if (unroll) {
        values = values.map((v, u) => {
          out.push(`const l${i}_${u} = 1 / (1 + exp(-${v}));`);
          return `l${i}_${u}`;
        });
      } else {
        out.push(`const l${i} = new Array(${array}.length); for (let u = 0; u < l${i}.length; u++) l${i}[u] = 1 / (1 + exp(-${array}[u]));`);
        array = `l${i}`;
      }
    } else if (unroll) {
      // m.link.softmax, value by value: the maximum, exp(v - max) summed in order, each divided by
      // the sum. (Locals, not arrays: an array's elements kind would depend on whether its first
      // value happens to be an integer, and optimised code would be thrown away when it changes.)
      out.push(`let max${i} = -Infinity; ${values.map((v) => `max${i} = Math.max(max${i}, ${v});`).join(' ')}`);
      out.push(`let sum${i} = 0; ${values.map((v, u) => `const e${i}_${u} = exp(${v} - max${i}); sum${i} += e${i}_${u};`).join(' ')}`);
      values = values.map((_, u) => `e${i}_${u} / sum${i}`);
    } else {
      out.push(`let max${i} = -Infinity; for (let u = 0; u < ${array}.length; u++) max${i} = Math.max(max${i}, ${array}[u]);
        let sum${i} = 0; const e${i} = new Array(${array}.length);
        for (let u = 0; u < e${i}.length; u++) { const e = exp(${array}[u] - max${i}); sum${i} += e; e${i}[u] = e; }
        for (let u = 0; u < e${i}.length; u++) e${i}[u] /= sum${i};`);
      array = `e${i}`;
    }
  });
  const result = plan.scalar ? (unroll ? values[0]! : `${array}[0]`) : unroll ? `[${values.join(', ')}]` : array;
  const body = `if (!Array.isArray(x) || x.length !== ${num(plan.width)}) return MISS;\nlet s, v;\n${out.join('\n')}\nreturn ${result};`;
  return compileKernel<(input: unknown) => unknown>({ params: ['x'], body, bound });
}
