/**
 * A program as generated JavaScript: every weight and center coordinate inlined, every value a
 * local (not an array element: an array's elements kind would depend on whether its first value
 * happens to be an integer, and optimised code would be thrown away when it changes). The source
 * goes through src/codegen/ alone, so every number is a literal it quoted and every function a
 * bound name.
 *
 * The operations are the closure lowering's, in its order: each affine output a running sum from
 * 0 over the inputs in order, plus the constant; links and the activation value by value, after
 * all of the step's sums; softmax as m.link.softmax (the maximum, exp(v - max) summed in order,
 * each divided by the sum); distances as model.cluster's (d = x - c, s += d * d), the first of the
 * lowest kept.
 *
 * Two uses differ only in what an input the kernel was not built for gets:
 * - `generic` (a specialised library call, whose argument is already an array of doubles): an
 *   array of another length goes to the generic implementation, which raises its usual error;
 * - `miss` (the engine's per-record scorer of a columnar plan, fed the raw input): anything but an
 *   array of `width` numbers throws the marker, each element's type tested as it is first read.
 *   Thrown, not returned: a result that may be the marker is a tagged value, so every number
 *   returned would be boxed into a new heap object, which cost a ten-feature regression as much as
 *   its scoring.
 */
import { code, compileKernel, element, join, Scope, type Code, type Name } from '../../codegen/index.js';
import { exp } from '../lib/m/_exp.js';
import { usesActivation, type AffineStep, type ClosestStep, type Program } from './ir.js';

export type Fallback =
  | { readonly kind: 'generic'; readonly call: (x: readonly number[], act?: unknown) => unknown }
  | { readonly kind: 'miss'; readonly miss: symbol };

export interface JsOptions {
  readonly fallback: Fallback;
  /** The values an `index` result picks from (the clusters). */
  readonly pick?: readonly unknown[];
}

/** The kernel: `(x, act)` when the program applies an activation, else `(x)`. */
export type JsKernel = (x: unknown, act?: unknown) => unknown;

const SPACE = code` `;
const COMMA = code`, `;

/** Names shared by the parts of one kernel's source. */
interface Emitter {
  readonly scope: Scope;
  readonly x: Name;
  readonly s: Name;
  readonly v: Name;
  readonly d: Name;
  /** The marker thrown for an input the kernel does not take, when the input is tested. */
  readonly miss: Name | undefined;
  /** The test of the input's length, until the first element read has placed it after itself. */
  lengthTest: Code | undefined;
  readonly out: Code[];
}

/** The input element `value`, tested on its first read when the kernel tests its input; its expression. */
function read(em: Emitter, value: Code, test: boolean): { readonly prefix: Code; readonly value: Code } {
  if (!test || !em.miss) return { prefix: code``, value };
  const length = em.lengthTest ?? code``;
  em.lengthTest = undefined;
  return { prefix: code`${em.v} = ${value}; if (typeof ${em.v} !== "number") throw ${em.miss}; ${length}`, value: em.v };
}

function affine(em: Emitter, step: AffineStep, inputs: readonly Code[], first: boolean): Name[] {
  const { s, scope } = em;
  return step.weights.map((row, u) => {
    const terms = row.map((c, j) => {
      const r = read(em, inputs[j]!, first && u === 0);
      return code`${r.prefix}${s} += ${c} * ${r.value};`;
    });
    const h = scope.name('h');
    em.out.push(code`${s} = 0; ${join(terms, SPACE)} const ${h} = ${s} + ${step.constants[u]!};`);
    return h;
  });
}

function closest(em: Emitter, step: ClosestStep, inputs: readonly Code[], first: boolean): Name {
  const { s, d, scope } = em;
  const [best, low] = [scope.name('best'), scope.name('low')];
  em.out.push(code`let ${best}, ${low};`);
  step.centers.forEach((center, i) => {
    const terms = center.map((c, j) => {
      const r = read(em, inputs[j]!, first && i === 0);
      return code`${r.prefix}${d} = ${r.value} - ${c}; ${s} += ${d} * ${d};`;
    });
    const rank = i === 0 ? code`${best} = 0; ${low} = ${s};` : code`if (${s} < ${low}) { ${low} = ${s}; ${best} = ${i}; }`;
    em.out.push(code`${s} = 0; ${join(terms, SPACE)} ${rank}`);
  });
  return best;
}

function softmax(em: Emitter, values: readonly Code[], expName: Name): Code[] {
  const { scope, out } = em;
  const [max, sum] = [scope.name('max'), scope.name('sum')];
  out.push(
    code`let ${max} = -Infinity; ${join(
      values.map((v) => code`${max} = Math.max(${max}, ${v});`),
      SPACE,
    )}`,
  );
  const es = values.map(() => scope.name('e'));
  out.push(
    code`let ${sum} = 0; ${join(
      values.map((v, u) => code`const ${es[u]!} = ${expName}(${v} - ${max}); ${sum} += ${es[u]!};`),
      SPACE,
    )}`,
  );
  return es.map((e) => code`${e} / ${sum}`);
}

/** Each value through `apply` (a call of a bound function, or a link written out), into fresh locals. */
function elementwise(em: Emitter, values: readonly Code[], apply: (v: Code) => Code): Name[] {
  return values.map((v) => {
    const l = em.scope.name('l');
    em.out.push(code`const ${l} = ${apply(v)};`);
    return l;
  });
}

/**
 * The logistic written out rather than called: in a kernel of a thousand weights V8 has spent its
 * inlining budget, and a call per value made a logistic network's record scorer 1.8 times slower.
 * It is m.link.logit's expression, 1 / (1 + exp(-x)) with the same exp; the differential spec
 * (spec/pfa/kernel/differential.spec.ts) holds the two to the same bits.
 */
const logistic = (expName: Name) => (v: Code) => code`1 / (1 + ${expName}(-${v}))`;

/** A call of the function named `f` on each value. */
const callOf = (f: Name) => (v: Code) => code`${f}(${v})`;

/** The generated kernel of `program` (the caller keeps it within MAX_UNROLLED). */
export function lowerJs(program: Program, { fallback, pick }: JsOptions): JsKernel {
  const scope = new Scope();
  const x = scope.name('x');
  const act = scope.name('act');
  const withAct = usesActivation(program);
  const em: Emitter = {
    scope,
    x,
    s: scope.name('s'),
    v: scope.name('v'),
    d: scope.name('d'),
    miss: fallback.kind === 'miss' ? scope.bind('MISS', fallback.miss) : undefined,
    lengthTest: undefined,
    out: [],
  };
  // A raw input's length is tested after its first element is read, not before every read: there
  // it made a 100-feature regression over records read from memory (the benchmark's
  // linear-100-stream) 2.2-2.5 times slower (224-245 against 97-110 ns a record; the same on
  // records in cache); why is not established, as the reads load the same array header. A test
  // after all the reads was measured too: V8 then loads every element into a register first and
  // spills them, 15 % slower on records in cache. An empty array fails the first element's own
  // test (it reads `undefined`); a program that tests no element keeps the length test first.
  if (em.miss) em.lengthTest = code`if (${x}.length !== ${program.width}) throw ${em.miss}; `;
  let expName: Name | undefined;
  let values: Code[] = Array.from({ length: program.width }, (_, j) => element(x, j));
  let index: Name | undefined;
  program.steps.forEach((step, i) => {
    switch (step.op) {
      case 'affine':
        values = affine(em, step, values, i === 0);
        break;
      case 'closest':
        index = closest(em, step, values, i === 0);
        values = [];
        break;
      case 'link':
        // The logistic written out; any other link is the library's function, bound and called.
        values = elementwise(
          em,
          values,
          step.link === 'logistic' ? logistic((expName ??= scope.bind('exp', exp))) : callOf(scope.bind('link', step.f)),
        );
        break;
      case 'activation':
        values = elementwise(em, values, callOf(act));
        break;
      case 'softmax':
        values = softmax(em, values, (expName ??= scope.bind('exp', exp)));
        break;
    }
  });
  let result: Code;
  if (program.result === 'index') result = code`${scope.bind('pick', pick)}[${index!}]`;
  else result = program.result === 'scalar' ? values[0]! : code`[${join(values, COMMA)}]`;
  const guard =
    fallback.kind === 'miss'
      ? code`if (!Array.isArray(${x})) throw ${em.miss!}; ${em.lengthTest ?? code``}`
      : code`if (${x}.length !== ${program.width}) return ${scope.bind('generic', fallback.call)}(${x}${withAct ? code`, ${act}` : code``});`;
  const body = code`${guard}\nlet ${em.s}, ${em.v}, ${em.d};\n${join(em.out, code`\n`)}\nreturn ${result};`;
  return compileKernel<JsKernel>({ scope, params: withAct ? [x, act] : [x], body });
}
