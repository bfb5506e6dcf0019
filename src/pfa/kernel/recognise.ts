/**
 * The one recogniser of kernels: programs (ir.ts) from checked PFA, read off the `kernel`
 * declarations of the library functions called, never off their names.
 *
 * - `recogniseCall`: one library call whose model argument is known at compile time (a literal or
 *   a constant cell: specialize/call.ts's constantArg), over its datum argument;
 * - `recogniseAction`: a whole action that is one expression built from `input` by such calls and
 *   by links (the regressions and networks converters write), over the input.
 *
 * A model that does not fit its shape (ragged rows, an empty model, widths that do not chain) has
 * no program: the generic implementation then runs, and raises its error if it has one.
 */
import type { Arg, Expr } from '../ast.js';
import type { CallTarget } from '../check/info.js';
import { constantArg, isNumbers, type SpecializeCall, type SpecializeContext } from '../compile/specialize/call.js';
import type { AffineStep, KernelDecl, Program, Step } from './ir.js';

/** Values computed so far: the steps from the input, and how many values they leave. */
interface Chain {
  readonly steps: readonly Step[];
  readonly result: Program['result'];
  /** Elements of the input (set by the first model step). */
  readonly width: number | undefined;
  /** Values the last step leaves (undefined before any model step). */
  readonly values: number | undefined;
  /** A closest step's clusters, which an `index` result picks from. */
  readonly pick?: readonly unknown[];
}

/**
 * The declaration of a library call (or reference) for the signature it resolved to, if it is a
 * kernel there: what the specialised backend dispatches on, trees included.
 */
export function declOf(target: CallTarget | undefined): KernelDecl | undefined {
  if (target?.kind !== 'lib') return undefined;
  const decl = target.fn.def.kernel;
  return decl?.sigs.includes(target.sigIndex) ? decl : undefined;
}

/** The declarations of model calls, the steps of programs; tree declarations are not. */
type ModelDecl = Extract<KernelDecl, { kind: 'affine' | 'layers' | 'closest' }>;
const isModel = (decl: KernelDecl): decl is ModelDecl => decl.kind === 'affine' || decl.kind === 'layers' || decl.kind === 'closest';

/** An affine step of `weights` over `width` inputs (undefined: as many as its rows have), or undefined when misaligned. */
function affine(weights: unknown, constants: unknown, width: number | undefined): AffineStep | undefined {
  if (
    !Array.isArray(weights) ||
    weights.length === 0 ||
    !weights.every(isNumbers) ||
    !isNumbers(constants) ||
    constants.length !== weights.length
  )
    return undefined;
  const inputs = width ?? weights[0]!.length;
  if (weights.some((row) => row.length !== inputs)) return undefined;
  return { op: 'affine', inputs, outputs: weights.length, weights, constants };
}

/** A neural network's activation: a link the IR knows when it is a plain reference to one, else the call's argument. */
function activationStep(a: Arg | undefined, ctx: SpecializeContext): Step | undefined {
  if (!a) return undefined;
  if (a.k === 'fcnref' && !a.fill) {
    const decl = declOf(ctx.info(a).call);
    if (decl?.kind === 'link') return { op: 'link', link: decl.link, f: decl.load() };
  }
  return { op: 'activation' };
}

/** The chain `datum` continued by a model call of `decl` over the constant `model`. */
function modelChain(decl: ModelDecl, model: unknown, datum: Chain, activation: Step | undefined): Chain | undefined {
  if (datum.result !== 'vector') return undefined;
  const steps = [...datum.steps];
  const start = (inputs: number) => datum.width ?? inputs;
  switch (decl.kind) {
    case 'affine': {
      const { coeff, const: constant } = (model ?? {}) as { coeff?: unknown; const?: unknown };
      const vector = Array.isArray(constant);
      const step = vector ? affine(coeff, constant, datum.values) : affine([coeff], [constant], datum.values);
      if (!step) return undefined;
      return { steps: [...steps, step], result: vector ? 'vector' : 'scalar', width: start(step.inputs), values: step.outputs };
    }
    case 'layers': {
      if (!Array.isArray(model) || model.length === 0 || !activation) return undefined;
      let values = datum.values;
      for (const [i, layer] of (model as { weights?: unknown; bias?: unknown }[]).entries()) {
        const step = affine(layer.weights, layer.bias, values);
        if (!step) return undefined;
        steps.push(step);
        if (i < model.length - 1) steps.push(activation);
        values = step.outputs;
      }
      const first = steps[datum.steps.length] as AffineStep;
      return { steps, result: 'vector', width: start(first.inputs), values };
    }
    case 'closest': {
      const clusters = model as { center?: unknown }[];
      if (!Array.isArray(clusters) || clusters.length === 0 || !clusters.every((c) => isNumbers(c.center))) return undefined;
      const centers = clusters.map((c) => c.center as number[]);
      const width = datum.values ?? centers[0]!.length;
      if (centers.some((c) => c.length !== width)) return undefined;
      return { steps: [...steps, { op: 'closest', centers }], result: 'index', width: start(width), values: 1, pick: clusters };
    }
  }
}

function program(chain: Chain | undefined): Program | undefined {
  if (!chain || chain.width === undefined || chain.values === undefined || chain.steps.length === 0) return undefined;
  return { width: chain.width, steps: chain.steps, outputs: chain.values, result: chain.result };
}

const INPUT: Chain = { steps: [], result: 'vector', width: undefined, values: undefined };

/** A kernel for one call: its program over the datum argument, and the model it inlines. */
export interface CallProgram {
  readonly program: Program;
  /** The constant model argument, as the generic implementation takes it. */
  readonly model: unknown;
  /** What an `index` result picks from. */
  readonly pick?: readonly unknown[];
}

/** The program of a model call (affine, layers, closest) over a dense datum and a constant model, if it has one. */
export function recogniseCall({ e, target, site, ctx }: SpecializeCall): CallProgram | undefined {
  const decl = declOf(target);
  if (!decl || !isModel(decl)) return undefined;
  if (e.args.length !== (decl.kind === 'layers' ? 3 : 2) || site.paramTypes[0]!.kind !== 'array') return undefined;
  const model = constantArg(e.args[1]!, site.paramTypes[1]!, ctx);
  if (!model) return undefined;
  const chain = modelChain(decl, model.value, INPUT, activationStep(e.args[2], ctx));
  const p = program(chain);
  return p && { program: p, model: model.value, ...(chain!.pick ? { pick: chain!.pick } : {}) };
}

function chainOf(a: Arg, ctx: SpecializeContext): Chain | undefined {
  if (a.k === 'ref') return a.name === 'input' ? INPUT : undefined;
  if (a.k !== 'call') return undefined;
  const target = ctx.info(a).call;
  const decl = declOf(target);
  if (!decl || target?.kind !== 'lib') return undefined;
  const first = a.args[0] && chainOf(a.args[0], ctx);
  if (!first) return undefined;
  switch (decl.kind) {
    case 'link':
      // A link of the input itself is no kernel worth the name; of an index, no value at all.
      if (a.args.length !== 1 || first.steps.length === 0 || first.result === 'index') return undefined;
      return { ...first, steps: [...first.steps, { op: 'link', link: decl.link, f: decl.load() }] };
    case 'softmax':
      if (a.args.length !== 1 || first.steps.length === 0 || first.result !== 'vector') return undefined;
      return { ...first, steps: [...first.steps, { op: 'softmax', values: decl.values }] };
    default: {
      if (!isModel(decl) || a.args.length !== (decl.kind === 'layers' ? 3 : 2)) return undefined;
      const m = a.args[1]!;
      const model = m.k === 'fcnref' || m.k === 'fcndef' ? undefined : constantArg(m, target.match.paramTypes[1]!, ctx);
      return model && modelChain(decl, model.value, first, activationStep(a.args[2], ctx));
    }
  }
}

/**
 * The program of an action that is one such expression over an array-of-numbers input (a map
 * document), if it has one; `pick` when its result is a cluster.
 */
export function recogniseAction(ctx: SpecializeContext): (Program & { readonly pick?: readonly unknown[] }) | undefined {
  const doc = ctx.checked.doc;
  const input = doc.input;
  if (
    doc.method !== 'map' ||
    doc.action.length !== 1 ||
    input.kind !== 'array' ||
    (input.items.kind !== 'double' && input.items.kind !== 'float')
  )
    return undefined;
  const chain = chainOf(doc.action[0] as Expr, ctx);
  const p = program(chain);
  return p && { ...p, ...(chain!.pick ? { pick: chain!.pick } : {}) };
}
