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
import { code, compileKernel, element, join, Scope, type Code, type Name } from '../../codegen/index.js';
import { exp } from '../lib/m/_exp.js';
import { MAX_UNROLLED } from '../compile/specialize/linear.js';
import type { AffineStep, Plan } from './plan.js';

/** What the scorer returns for an input it leaves to the generic path. */
export const MISS: unique symbol = Symbol('miss');

const SPACE = code` `;
const COMMA = code`, `;

/** The names every part of one scorer's source shares. */
interface Names {
  readonly scope: Scope;
  readonly x: Name;
  readonly s: Name;
  readonly v: Name;
  readonly miss: Name;
  readonly exp: Name;
}

/** Source computing one affine step from the values `inputs` (expressions), into fresh locals; returns their names. */
function unrolled(n: Names, step: AffineStep, inputs: readonly Code[], out: Code[], check: boolean): Name[] {
  const { s, v } = n;
  return step.weights.map((row, u) => {
    const terms = row.map((c, j) => {
      // The first unit of the first step reads the input and tests each element as it goes.
      if (check && u === 0) return code`${v} = ${inputs[j]!}; if (typeof ${v} !== "number") return ${n.miss}; ${s} += ${c} * ${v};`;
      return code`${s} += ${c} * ${inputs[j]!};`;
    });
    const h = n.scope.name('h');
    out.push(code`${s} = 0; ${join(terms, SPACE)} const ${h} = ${s} + ${step.constants[u]!};`);
    return h;
  });
}

/** Source computing one affine step from the array `from` by loops over bound weights; returns the array's name. */
function looped(n: Names, step: AffineStep, from: Code, out: Code[]): Name {
  const { s, scope } = n;
  const w = scope.bind('W', Float64Array.from(step.weights.flat()));
  const b = scope.bind('B', Float64Array.from(step.constants));
  const h = scope.name('h');
  const [u, o, j] = [scope.name('u'), scope.name('o'), scope.name('j')];
  out.push(code`const ${h} = new Array(${step.outputs});
    for (let ${u} = 0; ${u} < ${step.outputs}; ${u}++) { ${s} = 0; const ${o} = ${u} * ${step.inputs}; for (let ${j} = 0; ${j} < ${step.inputs}; ${j}++) ${s} += ${w}[${o} + ${j}] * ${from}[${j}]; ${h}[${u}] = ${s} + ${b}[${u}]; }`);
  return h;
}

/** The per-record scorer of `plan`: the action's result for an array of `plan.width` numbers, else MISS. */
export function recordScorer(plan: Plan): (input: unknown) => unknown {
  const scope = new Scope();
  const n: Names = { scope, x: scope.name('x'), s: scope.name('s'), v: scope.name('v'), miss: scope.bind('MISS', MISS), exp: scope.bind('exp', exp) };
  const { x, miss } = n;
  const out: Code[] = [];
  const weights = plan.steps.reduce((sum, s) => sum + (s.op === 'affine' ? s.inputs * s.outputs : 0), 0);
  // Beyond the specialised backend's limit for unrolled source, dot products are loops over typed arrays.
  const unroll = weights <= MAX_UNROLLED;
  // The current values: named locals when unrolled, else one array.
  let values: Code[] = Array.from({ length: plan.width }, (_, j) => element(x, j));
  let array: Code = x;
  if (!unroll) {
    const j = scope.name('j');
    out.push(code`for (let ${j} = 0; ${j} < ${plan.width}; ${j}++) if (typeof ${x}[${j}] !== "number") return ${miss};`);
  }
  plan.steps.forEach((step, i) => {
    if (step.op === 'affine') {
      if (unroll) values = unrolled(n, step, values, out, i === 0);
      else array = looped(n, step, array, out);
    } else if (step.op === 'logistic') {
      if (unroll) {
        values = values.map((v) => {
          const l = scope.name('l');
          out.push(code`const ${l} = 1 / (1 + ${n.exp}(-${v}));`);
          return l;
        });
      } else {
        const [l, u] = [scope.name('l'), scope.name('u')];
        out.push(code`const ${l} = new Array(${array}.length); for (let ${u} = 0; ${u} < ${l}.length; ${u}++) ${l}[${u}] = 1 / (1 + ${n.exp}(-${array}[${u}]));`);
        array = l;
      }
    } else if (unroll) {
      // m.link.softmax, value by value: the maximum, exp(v - max) summed in order, each divided by
      // the sum. (Locals, not arrays: an array's elements kind would depend on whether its first
      // value happens to be an integer, and optimised code would be thrown away when it changes.)
      const [max, sum] = [scope.name('max'), scope.name('sum')];
      out.push(code`let ${max} = -Infinity; ${join(values.map((v) => code`${max} = Math.max(${max}, ${v});`), SPACE)}`);
      const es = values.map(() => scope.name('e'));
      out.push(code`let ${sum} = 0; ${join(values.map((v, u) => code`const ${es[u]!} = ${n.exp}(${v} - ${max}); ${sum} += ${es[u]!};`), SPACE)}`);
      values = es.map((e) => code`${e} / ${sum}`);
    } else {
      const [max, sum, e, u, one] = [scope.name('max'), scope.name('sum'), scope.name('e'), scope.name('u'), scope.name('one')];
      out.push(code`let ${max} = -Infinity; for (let ${u} = 0; ${u} < ${array}.length; ${u}++) ${max} = Math.max(${max}, ${array}[${u}]);
        let ${sum} = 0; const ${e} = new Array(${array}.length);
        for (let ${u} = 0; ${u} < ${e}.length; ${u}++) { const ${one} = ${n.exp}(${array}[${u}] - ${max}); ${sum} += ${one}; ${e}[${u}] = ${one}; }
        for (let ${u} = 0; ${u} < ${e}.length; ${u}++) ${e}[${u}] /= ${sum};`);
      array = e;
    }
  });
  const result = plan.scalar ? (unroll ? values[0]! : code`${array}[0]`) : unroll ? code`[${join(values, COMMA)}]` : array;
  const body = code`if (!Array.isArray(${x}) || ${x}.length !== ${plan.width}) return ${miss};\nlet ${n.s}, ${n.v};\n${join(out, code`\n`)}\nreturn ${result};`;
  return compileKernel<(input: unknown) => unknown>({ scope, params: [x], body });
}
