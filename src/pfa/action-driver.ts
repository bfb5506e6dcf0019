/**
 * An engine's `action`: check the input, fill the frame of the compiled action with the symbols it
 * reads, run it against the engine's Runtime, count the call, keep the tally, roll back on failure.
 *
 * Its source is one fixed template of this file, with no document text: slot numbers and sizes are
 * numbers spliced by `code`, everything it calls is bound by name. A program compiles it once (for
 * each of: with and without the input check) into a factory, and every engine of the program calls
 * the factory with its own state. Generated per program, its calls of the input check and of the
 * compiled action are call sites of their own, each seeing one target: written once as a shared
 * function, every model of the process would meet at them, and V8 would inline none.
 *
 * `plainAction` is the same steps as a closure: the baseline the generated driver is tested against,
 * and the action of the closure backend, which promises hosts that forbid `new Function` (a page
 * whose Content-Security-Policy has no 'unsafe-eval') that it generates no code.
 */
import { code, compileKernel, Scope, type Code as Js, type Name } from '../codegen/index.js';
import { PfaRuntimeError } from '../errors.js';
import type { Method } from './ast.js';
import type { Frame, Runtime, RuntimeLink, Code } from './compile/runtime.js';
import { MISS } from './columnar/record.js';

/** The state one engine keeps between calls, shared by the engine's methods and its action. */
export interface EngineState {
  begun: boolean;
  started: number;
  finished: number;
  tally: unknown;
}

/** What cells and pools held before an action, to restore if it fails. */
export interface Saved {
  readonly cells: unknown[];
  readonly pools: Map<string, unknown>[];
}

/** A section as compiled once by the program; `spare` is the frame of its last finished call. */
export interface CompiledSection {
  readonly code: Code;
  readonly size: number;
  /** Slots of name, instance, metadata, actionsStarted, actionsFinished, version (-1 when the section never reads it). */
  readonly common: readonly [number, number, number, number, number, number];
  /** Slots of the section's own symbols (input and tally for action; -1 when never read). */
  readonly own: readonly number[];
  /**
   * The frame of the last finished call, filled again for the next one instead of allocating.
   * Safe because nothing keeps a frame after its call (inline functions run within it), and no
   * stale slot can be read (a variable is always assigned before the checker lets it be used).
   * Taken while a call runs, so a re-entrant call (from a callback, or another engine of the same
   * program) gets a new frame.
   */
  spare: Frame | undefined;
}

/** What the program knows of the action, the same for all its engines. */
export interface ActionShape {
  readonly method: Method;
  readonly section: CompiledSection;
  readonly link: RuntimeLink;
  /** Whether the document has cells or pools with rollback. */
  readonly rollback: boolean;
  /** The columnar plan's per-record scorer, tried first (columnar/record.ts); undefined without a plan. */
  readonly planned: ((input: unknown) => unknown) | undefined;
  /**
   * The kernel that is the whole action, a function of the input alone, called without a frame
   * (compiled.ts's directAction); undefined for any other action.
   */
  readonly direct: ((input: unknown) => unknown) | undefined;
  /** Whether the document has a `begin` section, which must run before the first action. */
  readonly begins: boolean;
  /** Whether a section reads `actionsStarted` or `actionsFinished`: without one, nobody sees the counts. */
  readonly counts: boolean;
}

/** What one engine gives its action. */
export interface ActionParts {
  readonly state: EngineState;
  readonly rt: Runtime;
  readonly timeout: number;
  readonly begin: () => void;
  /** The generated input check, or undefined when the engine does not check inputs. */
  readonly ok: ((input: unknown) => boolean) | undefined;
  /** Throws the input-mismatch error for an input `ok` refused. */
  readonly reject: (input: unknown) => never;
  readonly save: () => Saved;
  /** Restores what `save` saved, and gives what to throw for the action's error. */
  readonly failed: (e: unknown, saved: Saved | undefined) => unknown;
  readonly name: string;
  readonly instance: number;
  readonly metadata: ReadonlyMap<string, string>;
  readonly version: number | undefined;
}

export type ActionFactory = (parts: ActionParts) => (input: unknown) => unknown;

/** The parameters of the generated factory, in the order `generatedAction` passes them. */
const PARAMS = ['state', 'rt', 'timeout', 'begin', 'ok', 'reject', 'save', 'failed', 'name', 'instance', 'metadata', 'version'] as const;

/** The generated driver of a program's action, compiled once: `checked` says whether it calls `ok`. */
export function generatedAction(shape: ActionShape, checked: boolean): ActionFactory {
  const scope = new Scope();
  const p = Object.fromEntries(PARAMS.map((n) => [n, scope.name(n)])) as Record<(typeof PARAMS)[number], Name>;
  const sec = scope.bind('sec', shape.section);
  const run = scope.bind('code', shape.section.code);
  const link = scope.bind('link', shape.link);
  const [input, frame, v, out, saved, outer, e] = ['input', 'frame', 'v', 'out', 'saved', 'outer', 'e'].map((n) =>
    scope.name(n),
  ) as Name[] as [Name, Name, Name, Name, Name, Name, Name];
  const { state } = p;
  // The frame's slots, as the engine fills them for begin/end/merge, written out for the symbols this action reads.
  const [nameSlot, instanceSlot, metadataSlot, startedSlot, finishedSlot, versionSlot] = shape.section.common;
  const [inputSlot, tallySlot] = shape.section.own;
  const fills: [number, Js][] = [
    [nameSlot, p.name],
    [instanceSlot, p.instance],
    [metadataSlot, p.metadata],
    [startedSlot, code`BigInt(${state}.started)`],
    [finishedSlot, code`BigInt(${state}.finished)`],
    [versionSlot, p.version],
    [inputSlot ?? -1, input],
    [tallySlot ?? -1, code`${state}.tally`],
  ];
  const fill = fills.filter(([slot]) => slot >= 0).map(([slot, value]) => code`${v}[${slot}] = ${value};`);
  const result =
    shape.method === 'fold'
      ? code`${state}.tally = ${out}; return ${out};`
      : shape.method === 'emit'
        ? code`return null;`
        : code`return ${out};`;
  const check = checked ? code`if (!${p.ok}(${input})) ${p.reject}(${input});` : code``;
  const general = code`function action(${input}) {
      if (!${state}.begun) ${p.begin}();
      ${check}
      const ${saved} = ${shape.rollback ? code`${p.save}()` : code`undefined`};
      ${state}.started++;
      ${p.rt}.startCall(${p.timeout});
      let ${frame} = ${sec}.spare;
      if (${frame} === undefined) ${frame} = { v: new Array(${shape.section.size}), up: null };
      else ${sec}.spare = undefined;
      const ${v} = ${frame}.v;
      ${fill.reduce((all, one) => code`${all} ${one}`, code``)}
      const ${outer} = ${link}.enter(${p.rt});
      try {
        const ${out} = ${run}(${frame});
        ${state}.finished++;
        ${result}
      } catch (${e}) {
        throw ${p.failed}(${e}, ${saved});
      } finally {
        ${sec}.spare = ${frame};
        if (${outer} !== undefined) ${link}.attach(${outer});
      }
    }`;
  // The two fast paths below are functions of their own, with the steps nobody would see left out
  // (running a begin section that does not exist, counting actions nobody reads), so that each is
  // small enough for V8 to inline into its caller's loop.
  let body = code`return ${general};`;
  const begin = shape.begins ? code`if (!${state}.begun) ${p.begin}();` : code``;
  if (shape.direct && !shape.rollback) {
    // An action that is one kernel of its input: the input check, then the kernel; the general
    // way's frame, budgets and Runtime are never read by it.
    const [direct, r, e] = [scope.bind('direct', shape.direct), scope.name('r'), scope.name('e')];
    body = code`return function action(${input}) {
      ${begin}
      ${check}
      ${shape.counts ? code`${state}.started++;` : code``}
      let ${r};
      try {
        ${r} = ${direct}(${input});
      } catch (${e}) {
        throw ${p.failed}(${e}, undefined);
      }
      ${shape.counts ? code`${state}.finished++;` : code``}
      return ${r};
    };`;
  } else if (shape.planned) {
    // An action that is a columnar plan first tries the plan's own scorer: it checks the input as it
    // reads it and raises nothing but MISS, for an input it leaves to the general way.
    const [planned, miss, r, e, slow] = [
      scope.bind('planned', shape.planned),
      scope.bind('MISS', MISS),
      scope.name('r'),
      scope.name('e'),
      scope.name('general'),
    ];
    body = code`const ${slow} = ${general};
    return function action(${input}) {
      ${begin}
      let ${r};
      try {
        ${r} = ${planned}(${input});
      } catch (${e}) {
        if (${e} === ${miss}) return ${slow}(${input});
        throw ${e};
      }
      ${shape.counts ? code`${state}.started++; ${state}.finished++;` : code``}
      return ${r};
    };`;
  }
  const factory = compileKernel<(...args: unknown[]) => (input: unknown) => unknown>({ scope, params: PARAMS.map((n) => p[n]), body });
  return (parts) => factory(...PARAMS.map((n) => parts[n]));
}

/**
 * The same steps as `generatedAction`, as a closure (see the file's comment), but for its fast
 * paths (a plan's scorer, a kernel that is the whole action): the closure backend, which generates
 * no code, has neither (compiled.ts).
 */
export function plainAction(shape: ActionShape, checked: boolean): ActionFactory {
  const { method, section: sec, link, rollback } = shape;
  const [nameSlot, instanceSlot, metadataSlot, startedSlot, finishedSlot, versionSlot] = sec.common;
  const [inputSlot = -1, tallySlot = -1] = sec.own;
  return (parts) => {
    const { state, rt, timeout } = parts;
    return (input) => {
      if (!state.begun) parts.begin();
      if (checked && !parts.ok!(input)) parts.reject(input);
      const saved = rollback ? parts.save() : undefined;
      state.started++;
      rt.startCall(timeout);
      const frame = sec.spare ?? { v: new Array(sec.size), up: null };
      sec.spare = undefined;
      const v = frame.v;
      if (nameSlot >= 0) v[nameSlot] = parts.name;
      if (instanceSlot >= 0) v[instanceSlot] = parts.instance;
      if (metadataSlot >= 0) v[metadataSlot] = parts.metadata;
      if (startedSlot >= 0) v[startedSlot] = BigInt(state.started);
      if (finishedSlot >= 0) v[finishedSlot] = BigInt(state.finished);
      if (versionSlot >= 0) v[versionSlot] = parts.version;
      if (inputSlot >= 0) v[inputSlot] = input;
      if (tallySlot >= 0) v[tallySlot] = state.tally;
      const outer = link.enter(rt);
      try {
        const out = sec.code(frame);
        state.finished++;
        if (method === 'fold') state.tally = out;
        return method === 'emit' ? null : out;
      } catch (e) {
        throw parts.failed(e, saved);
      } finally {
        sec.spare = frame;
        if (outer !== undefined) link.attach(outer);
      }
    };
  };
}

/** The input-mismatch error, with the validator's description of the first mismatch. */
export function inputMismatch(problem: string): PfaRuntimeError {
  return new PfaRuntimeError('input-mismatch', `input does not match the input type: ${problem}`);
}
