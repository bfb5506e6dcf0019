/**
 * A running PFA scoring engine: begin/action/end with the document's method (map, emit or fold),
 * cells and pools (with rollback when an action fails), the seeded random generator, and the time,
 * loop and recursion limits.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { AvroType } from '../avro/types.js';
import { fromJson, toJson, type JsonOptions } from '../avro/json.js';
import { PfaInitializationError, PfaRuntimeError, TrajanError } from '../errors.js';
import type { DocumentHeader, Method } from './ast.js';
import type { Checked } from './check/checker.js';
import { checkOptionNames, numberOption, type NumericOption } from './check/options.js';
import { asLimitError, Runtime, type Frame, type Limits } from './compile/runtime.js';
import { inputMismatch, type CompiledSection, type EngineState, type Saved } from './action-driver.js';
import { backendOption, CompiledPfa } from './compiled.js';
import { ColumnBatch, isTooLarge, PlanRunner } from './columnar/batch.js';
import { kernelModule } from './columnar/kernels.js';
import { batchLayout, type Plan } from './columnar/plan.js';
import { rowLoop, type RowLoop } from './columnar/rows.js';

/**
 * The budgets of one call of begin/action/end/merge belong to the host: these options (or the
 * defaults) are ceilings. A document's own `options` of the same names may only lower them.
 */
export interface EngineOptions {
  /**
   * Milliseconds allowed for each call of begin/action/end (default 1,000 for action and merge,
   * 10,000 for begin and end); 0 means no time limit. Sets all three unless overridden below.
   */
  readonly timeout?: number;
  readonly 'timeout.begin'?: number;
  readonly 'timeout.action'?: number;
  readonly 'timeout.end'?: number;
  /** Loop iterations, user-function calls and units of library work allowed in one call (default 10 million). */
  readonly maxLoopSteps?: number;
  /** Nesting of user-function calls (default 1,000). */
  readonly maxCallDepth?: number;
  /** Elements (array items, map entries, characters, bytes) library functions may create in one call (default 50 million). */
  readonly maxAllocation?: number;
  /** Overrides the document's `randseed`. */
  readonly randseed?: number;
  /** Which instance this is, the `instance` symbol (default 0). */
  readonly instance?: number;
  /** Check every `action` input against the input type (default true). */
  readonly validateInput?: boolean;
  /** Receives values emitted by an `emit` engine. */
  readonly onEmit?: (value: unknown) => void;
  /** Receives `log` messages (default: none). */
  readonly onLog?: (message: string, namespace?: string) => void;
  /**
   * `specialized` (the default) compiles model kernels over constant cells into generated code
   * (src/pfa/compile/specialize/); `closures` compiles everything into the generic closures. Both
   * give the same results.
   */
  readonly backend?: 'closures' | 'specialized';
}

/** Every name of EngineOptions, once: the compiler says when the two differ. */
export const ENGINE_OPTION_NAMES = {
  timeout: true,
  'timeout.begin': true,
  'timeout.action': true,
  'timeout.end': true,
  maxLoopSteps: true,
  maxCallDepth: true,
  maxAllocation: true,
  randseed: true,
  instance: true,
  validateInput: true,
  onEmit: true,
  onLog: true,
  backend: true,
} as const satisfies Record<keyof EngineOptions, true>;

/** The budgets of a host that sets none: safe for a process that scores untrusted documents. */
export const DEFAULT_LIMITS: Limits = {
  timeoutBegin: 10_000,
  timeoutAction: 1_000,
  timeoutEnd: 10_000,
  maxLoopSteps: 10_000_000,
  maxCallDepth: 1000,
  maxAllocation: 50_000_000,
};

/**
 * The host's limits (or the defaults) are ceilings; the document's options may only lower them. A
 * time limit of 0 means none: from the host that lifts the limit, from the document it asks nothing.
 */
function limitsFrom(doc: Record<string, unknown>, host: EngineOptions): Limits {
  // The document's own values were checked with the document (check/options.ts); the host's are checked here.
  const own = (name: NumericOption): number | undefined => numberOption(host[name], name);
  const asked = (name: NumericOption): number | undefined => numberOption(doc[name], name, `/options/${name}`);
  const noneIsInfinite = (ms: number | undefined): number | undefined => (ms === 0 ? Infinity : ms);
  const time = (name: 'timeout.begin' | 'timeout.action' | 'timeout.end', fallback: number): number => {
    const ceiling = noneIsInfinite(own(name) ?? own('timeout') ?? fallback)!;
    const lowered = noneIsInfinite(asked(name) ?? asked('timeout')) ?? Infinity;
    const ms = Math.min(ceiling, lowered);
    return ms === Infinity ? 0 : ms;
  };
  const count = (name: 'maxLoopSteps' | 'maxCallDepth' | 'maxAllocation'): number =>
    Math.min(own(name) ?? DEFAULT_LIMITS[name], asked(name) ?? Infinity);
  return {
    timeoutBegin: time('timeout.begin', DEFAULT_LIMITS.timeoutBegin),
    timeoutAction: time('timeout.action', DEFAULT_LIMITS.timeoutAction),
    timeoutEnd: time('timeout.end', DEFAULT_LIMITS.timeoutEnd),
    maxLoopSteps: count('maxLoopSteps'),
    maxCallDepth: count('maxCallDepth'),
    maxAllocation: count('maxAllocation'),
  };
}

export interface Snapshot {
  readonly cells: Record<string, unknown>;
  readonly pools: Record<string, Record<string, unknown>>;
}

export class PfaEngine {
  readonly name: string;
  readonly method: Method;
  readonly inputType: AvroType;
  readonly outputType: AvroType;
  /** The document, less its expressions (compiled). */
  readonly doc: DocumentHeader;
  /** The compiled document this engine runs; other engines may run it too. */
  private readonly program: CompiledPfa;
  private readonly rt: Runtime;
  private readonly sections: Partial<Record<'begin' | 'action' | 'end' | 'merge', CompiledSection>>;
  private readonly rollbackCells: string[];
  private readonly rollbackPools: string[];
  private readonly instance: number;
  private readonly metadata: ReadonlyMap<string, string>;
  /** Whether a begin ran, the action counters, the tally: shared with the action (action-driver.ts). */
  private readonly state: EngineState;
  /** How the columnar kernels score this action, if they can (specialised backend only). */
  private readonly plan: Plan | undefined;
  /** The runner `scoreBatch` fills from an array of inputs, kept for the next batch. */
  private rowRunner: PlanRunner | undefined;
  /** scoreBatch's loop over an array of inputs, made on first use. */
  private rows: RowLoop | undefined;

  /**
   * An engine of a checked document (compiled here), or of a program compiled before
   * (`compilePfa(...).instantiate(options)`, which compiles nothing again).
   */
  constructor(source: Checked | CompiledPfa, options: EngineOptions = {}) {
    checkOptionNames(options, ENGINE_OPTION_NAMES, 'PfaEngine');
    const backend = options.backend === undefined ? undefined : backendOption(options.backend);
    let program: CompiledPfa;
    if (source instanceof CompiledPfa) {
      if (backend !== undefined && backend !== source.backend)
        throw new PfaInitializationError(
          'bad-option',
          `option backend is "${backend}" but the program was compiled for "${source.backend}"`,
        );
      program = source;
    } else program = new CompiledPfa(source, backend ?? 'specialized');
    this.program = program;
    const doc = program.doc;
    this.doc = doc;
    this.name = doc.name;
    this.method = doc.method;
    this.inputType = doc.input;
    this.outputType = doc.output;
    this.instance = options.instance ?? 0;
    this.metadata = new Map(Object.entries(doc.metadata));
    const limits = limitsFrom(doc.options, options);
    const seed = options.randseed ?? doc.randseed;
    const rng = xoroshiro128plus(seed ?? Math.floor(Math.random() * 2 ** 31));
    this.rt = new Runtime(limits, () => uniformFloat64(rng));
    if (options.onEmit) this.rt.emitter = options.onEmit;
    if (options.onLog) this.rt.logger = options.onLog;
    // In the document's order: the program's code reaches them by that index.
    for (const [name, c] of doc.cells) this.rt.addCell(name, c.init);
    for (const [name, p] of doc.pools) this.rt.addPool(name, new Map(p.init));
    this.rollbackCells = [...doc.cells].filter(([, c]) => c.rollback).map(([n]) => n);
    this.rollbackPools = [...doc.pools].filter(([, p]) => p.rollback).map(([n]) => n);
    this.state = { begun: false, started: 0, finished: 0, tally: doc.zero };
    this.sections = program.sections;
    this.plan = program.plan;
    const checkInput = options.validateInput !== false;
    this.action = program.action(checkInput)({
      state: this.state,
      rt: this.rt,
      timeout: limits.timeoutAction,
      begin: () => this.begin(),
      ok: checkInput ? program.input.ok : undefined,
      reject: (input) => this.rejectInput(input),
      save: () => this.saveRollback(),
      failed: (e, saved) => this.actionFailed(e, saved),
      name: this.name,
      instance: this.instance,
      metadata: this.metadata,
      version: doc.version,
    });
  }

  /**
   * A frame for one call of the section, with the symbols it reads filled in (slot numbers found at
   * compile time); `a` and `b` are the section's own symbols. Given back by `run`.
   */
  private acquire(section: CompiledSection, a?: unknown, b?: unknown): Frame {
    const frame = section.spare ?? { v: new Array(section.size), up: null };
    section.spare = undefined;
    const v = frame.v;
    const [name, instance, metadata, started, finished, version] = section.common;
    if (name >= 0) v[name] = this.name;
    if (version >= 0) v[version] = this.doc.version;
    if (instance >= 0) v[instance] = this.instance;
    if (metadata >= 0) v[metadata] = this.metadata;
    // The counters are plain numbers (exact to 2^53 calls); a long value is made only when read.
    if (started >= 0) v[started] = BigInt(this.state.started);
    if (finished >= 0) v[finished] = BigInt(this.state.finished);
    const own = section.own;
    if (own.length > 0 && own[0]! >= 0) v[own[0]!] = a;
    if (own.length > 1 && own[1]! >= 0) v[own[1]!] = b;
    return frame;
  }

  /**
   * Runs a section's code in a frame of its own, against this engine's Runtime (restoring the
   * runtime of any call it runs within); the VM's own range errors come out as limit errors.
   */
  private run(section: CompiledSection, a?: unknown, b?: unknown): unknown {
    const frame = this.acquire(section, a, b);
    const outer = this.program.link.enter(this.rt);
    try {
      return section.code(frame);
    } catch (e) {
      throw asLimitError(e);
    } finally {
      section.spare = frame;
      if (outer !== undefined) this.program.link.attach(outer);
    }
  }

  /** Runs `begin`. Called automatically before the first action if the host did not. */
  begin(): void {
    this.state.begun = true;
    const sec = this.sections.begin;
    if (!sec) return;
    this.rt.startCall(this.rt.limits.timeoutBegin);
    try {
      this.run(sec);
    } catch (e) {
      throw e instanceof TrajanError ? e : new PfaInitializationError('begin-failed', String(e));
    }
  }

  /**
   * Scores one input (a runtime value of the input type: docs/values.md). Map engines return the
   * output; fold engines return the updated tally; emit engines return null and send values to
   * `onEmit`. If the action fails, cells and pools declared with rollback are restored.
   *
   * A function of this engine's own (made by the program's action factory, action-driver.ts), so a
   * caller can also take it detached: `const score = engine.action`.
   */
  readonly action: (input: unknown) => unknown;

  /** Whether `scoreBatch` scores this engine's batches with the columnar kernels (docs/performance.md). */
  get columnar(): boolean {
    return this.plan !== undefined;
  }

  /** @internal Whether the engine's backend generates code (the specialised one; the closure backend promises not to). */
  get generatesCode(): boolean {
    return this.program.backend === 'specialized';
  }

  /**
   * @internal Whether `scoreBatch` writes an array of inputs into the kernels' columns
   * (columnar/plan.ts, batchLayout) rather than calling `action` on each.
   */
  get batchesByColumns(): boolean {
    return this.plan !== undefined && batchLayout(this.plan) === 'columns';
  }

  /**
   * An empty batch of `rows` records laid out by column, for `scoreBatch`: one column per element
   * of an array input (`width` of them; an engine with a columnar plan knows its width) or per
   * field of a record input. Inputs must be arrays of doubles or records of double fields.
   */
  createBatch(rows: number, width?: number): ColumnBatch {
    if (!Number.isInteger(rows) || rows < 0)
      throw new PfaRuntimeError('batch-unsupported', `rows must be a non-negative integer, not ${rows}`);
    const input = this.inputType;
    const numeric = (t: AvroType): boolean => t.kind === 'double' || t.kind === 'float';
    if (input.kind === 'array' && numeric(input.items)) {
      const columns = width ?? this.plan?.width;
      if (columns === undefined || !Number.isInteger(columns) || columns < 0)
        throw new PfaRuntimeError('batch-unsupported', 'an array input needs the number of columns (width)');
      const runner = this.plan && columns === this.plan.width ? new PlanRunner(kernelModule()!, this.plan, rows) : undefined;
      return new ColumnBatch(rows, columns, undefined, runner, this);
    }
    if (input.kind === 'record' && input.fields.every((f) => numeric(f.type))) {
      return new ColumnBatch(
        rows,
        input.fields.length,
        input.fields.map((f) => f.name),
        undefined,
        this,
      );
    }
    throw new PfaRuntimeError('batch-unsupported', 'a batch by columns needs an input of arrays of doubles or records of double fields');
  }

  /**
   * Scores many inputs: a ColumnBatch, or an array of inputs as `action` takes them. Returns one
   * result per input, the values `action` would return, in order. An engine whose action is a
   * columnar plan (linear and logistic regressions, softmax, neural networks over constant models)
   * scores a ColumnBatch in WebAssembly kernels; an array of inputs goes to the kernels too when
   * filling their columns costs less than it saves (columnar/plan.ts, batchLayout), else record by
   * record. Any other engine, or an array with an input the kernels cannot take, calls `action` for
   * each input (and raises its errors).
   */
  scoreBatch(batch: ColumnBatch | readonly unknown[]): unknown[] {
    if (batch instanceof ColumnBatch) {
      if (batch.owner === this && batch.runner) return this.runColumns(batch.runner, batch.rows);
      const out = new Array<unknown>(batch.rows);
      for (let i = 0; i < batch.rows; i++) out[i] = this.action(batch.record(i));
      return out;
    }
    // `action` of a planned engine is the plan's per-record scorer first: the row-major kernel.
    const runner = this.batchesByColumns ? this.fillRows(this.plan!, batch) : undefined;
    return runner ? this.runColumns(runner, batch.length) : (this.rows ??= rowLoop(this.action, this.generatesCode))(batch);
  }

  private runColumns(runner: PlanRunner, rows: number): unknown[] {
    if (!this.state.begun) this.begin();
    const out = runner.run(rows);
    // As many actions as records, started and finished (the plan's steps raise no errors).
    this.state.started += rows;
    this.state.finished += rows;
    return out;
  }

  /** The row runner with `inputs` written in its columns, or undefined if one is not an array of `width` numbers. */
  private fillRows(plan: Plan, inputs: readonly unknown[]): PlanRunner | undefined {
    if (!this.rowRunner || this.rowRunner.capacity < inputs.length) {
      try {
        this.rowRunner = new PlanRunner(kernelModule()!, plan, inputs.length);
      } catch (e) {
        if (isTooLarge(e)) return undefined; // more memory than a batch may take: record by record instead
        throw e;
      }
    }
    return this.rowRunner.fill(inputs) ? this.rowRunner : undefined;
  }

  /** Throws the input-mismatch error, with the validator's description of the first mismatch. */
  private rejectInput(input: unknown): never {
    throw inputMismatch(this.program.input.problem(input) ?? 'does not fit');
  }

  private saveRollback(): Saved {
    return {
      cells: this.rollbackCells.map((n) => this.rt.cells.get(n)!.value),
      pools: this.rollbackPools.map((n) => this.rt.pools.get(n)!.map),
    };
  }

  /** Restores what rollback saved, and says what to throw for the error `e` of an action. */
  private actionFailed(e: unknown, saved: Saved | undefined): unknown {
    if (saved) {
      for (const [i, n] of this.rollbackCells.entries()) this.rt.cells.get(n)!.value = saved.cells[i];
      for (const [i, n] of this.rollbackPools.entries()) this.rt.pools.get(n)!.map = saved.pools[i]!;
    }
    return asLimitError(e);
  }

  /** Runs `end` (for fold engines, `tally` is the current tally). */
  end(): void {
    const sec = this.sections.end;
    if (!sec) return;
    this.rt.startCall(this.rt.limits.timeoutEnd);
    this.run(sec, this.state.tally);
  }

  /** Fold engines: combines two tallies with the document's `merge`. */
  merge(tallyOne: unknown, tallyTwo: unknown): unknown {
    const sec = this.sections.merge;
    if (!sec) throw new PfaRuntimeError('not-fold', 'merge is only defined for fold engines');
    this.rt.startCall(this.rt.limits.timeoutAction);
    return this.run(sec, tallyOne, tallyTwo);
  }

  /** Current values of every cell and pool, in Avro's JSON encoding. */
  snapshot(): Snapshot {
    const cells: Record<string, unknown> = {};
    for (const [name, c] of this.doc.cells) cells[name] = toJson(c.type, this.rt.cells.get(name)!.value);
    const pools: Record<string, Record<string, unknown>> = {};
    for (const [name, p] of this.doc.pools) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of this.rt.pools.get(name)!.map) out[k] = toJson(p.type, v);
      pools[name] = out;
    }
    return { cells, pools };
  }

  /** Converts an input from Avro's JSON encoding to a runtime value. */
  fromJson(json: unknown, options?: JsonOptions): unknown {
    return fromJson(this.inputType, json, options);
  }

  /** Converts an output to Avro's JSON encoding. */
  toJson(value: unknown, options?: JsonOptions): unknown {
    return toJson(this.outputType, value, options);
  }
}
