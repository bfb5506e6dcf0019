/**
 * A running PFA scoring engine: begin/action/end with the document's method (map, emit or fold),
 * cells and pools (with rollback when an action fails), the seeded random generator, and the time,
 * loop and recursion limits.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { AvroType } from '../avro/types.js';
import { fromJson, toJson, type JsonOptions } from '../avro/json.js';
import { fits } from '../avro/fits.js';
import { validator } from '../avro/validate.js';
import { compileKernel, num } from '../codegen.js';
import { PfaInitializationError, PfaRuntimeError, TrajanError } from '../errors.js';
import type { Method, PfaDocument } from './ast.js';
import type { Checked, CheckedBody, Section } from './check/checker.js';
import { Compiler } from './compile/compiler.js';
import { checkOptionNames, numberOption, type NumericOption } from './check/options.js';
import { asLimitError, Runtime, type Code, type Frame, type Limits } from './compile/runtime.js';
import { specialize } from './compile/specialize/index.js';
import { ColumnBatch, isTooLarge, PlanRunner } from './columnar/batch.js';
import { kernelModule } from './columnar/kernels.js';
import { batchLayout, columnarPlan, type Plan } from './columnar/plan.js';
import { MISS, recordScorer } from './columnar/record.js';
import { rowLoop } from './columnar/rows.js';

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
  const count = (name: 'maxLoopSteps' | 'maxCallDepth' | 'maxAllocation'): number => Math.min(own(name) ?? DEFAULT_LIMITS[name], asked(name) ?? Infinity);
  return {
    timeoutBegin: time('timeout.begin', DEFAULT_LIMITS.timeoutBegin),
    timeoutAction: time('timeout.action', DEFAULT_LIMITS.timeoutAction),
    timeoutEnd: time('timeout.end', DEFAULT_LIMITS.timeoutEnd),
    maxLoopSteps: count('maxLoopSteps'),
    maxCallDepth: count('maxCallDepth'),
    maxAllocation: count('maxAllocation'),
  };
}

interface CompiledSection {
  readonly code: Code;
  readonly size: number;
  /** Slots of name, instance, metadata, actionsStarted, actionsFinished, version (-1 when the section never reads it). */
  readonly common: readonly [number, number, number, number, number, number];
  /** Slots of the section's own symbols, in the order of OWN_SYMBOLS (-1 when the method has none or it is never read). */
  readonly own: readonly number[];
  /**
   * The frame of the last finished call, filled again for the next one instead of allocating.
   * Safe because nothing keeps a frame after its call (inline functions run within it), and no
   * stale slot can be read (a variable is always assigned before the checker lets it be used).
   * Taken while a call runs, so a host re-entering the engine from a callback gets a new frame.
   */
  spare: Frame | undefined;
}

/** The symbols each section defines besides the common ones, in the order `frame` takes their values. */
const OWN_SYMBOLS: Record<Section, readonly string[]> = { begin: [], action: ['input', 'tally'], end: ['tally'], merge: ['tallyOne', 'tallyTwo'] };

export interface Snapshot {
  readonly cells: Record<string, unknown>;
  readonly pools: Record<string, Record<string, unknown>>;
}

export class PfaEngine {
  readonly name: string;
  readonly method: Method;
  readonly inputType: AvroType;
  readonly outputType: AvroType;
  readonly doc: PfaDocument;
  private readonly rt: Runtime;
  private readonly sections: Partial<Record<Section, CompiledSection>> = {};
  private readonly rollbackCells: string[];
  private readonly rollbackPools: string[];
  private readonly validate: ((v: unknown) => string | undefined) | undefined;
  private readonly instance: number;
  private readonly metadata: ReadonlyMap<string, string>;
  private tally: unknown;
  /** How the columnar kernels score this action, if they can (specialised backend only). */
  private readonly plan: Plan | undefined;
  /** The runner `scoreBatch` fills from an array of inputs, kept for the next batch. */
  private rowRunner: PlanRunner | undefined;
  private begun = false;
  private started = 0;
  private finished = 0;

  constructor(checked: Checked, options: EngineOptions = {}) {
    checkOptionNames(options, ENGINE_OPTION_NAMES, 'PfaEngine');
    const doc = checked.doc;
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
    for (const [name, c] of doc.cells) this.rt.cells.set(name, { value: c.init });
    for (const [name, p] of doc.pools) this.rt.pools.set(name, { map: new Map(p.init) });
    this.rollbackCells = [...doc.cells].filter(([, c]) => c.rollback).map(([n]) => n);
    this.rollbackPools = [...doc.pools].filter(([, p]) => p.rollback).map(([n]) => n);
    this.validate = options.validateInput === false ? undefined : validator(doc.input);
    this.tally = doc.zero;

    if (options.backend !== undefined && options.backend !== 'closures' && options.backend !== 'specialized') {
      throw new PfaInitializationError('bad-option', `option backend must be "closures" or "specialized"`);
    }
    const compiler = new Compiler(checked, this.rt, options.backend === 'closures' ? undefined : specialize);
    for (const key of ['begin', 'action', 'end', 'merge'] as const) {
      const body = checked.sections[key];
      if (!body) continue;
      this.sections[key] = this.compileSection(compiler, key, body);
    }
    // The closure backend generates no code at all (for hosts that forbid it, such as a page whose
    // Content-Security-Policy has no 'unsafe-eval'), so its action is the plain method.
    const plan = options.backend === 'closures' ? undefined : columnarPlan(compiler.specializeContext);
    // The columnar kernels need WebAssembly; the per-record scorer of a plan does not.
    this.plan = plan && kernelModule() ? plan : undefined;
    this.action = options.backend === 'closures' ? (input) => this.plainAction(input) : this.actionDriver(plan && recordScorer(plan));
  }

  private compileSection(compiler: Compiler, key: Section, body: CheckedBody): CompiledSection {
    const exprs = key === 'merge' ? (this.doc.merge ?? []) : this.doc[key];
    const to = key === 'action' && this.method === 'emit' ? undefined : key === 'action' || key === 'merge' ? this.outputType : undefined;
    let code = compiler.body(exprs, to);
    if (to && exprs.length === 0) code = () => null;
    // Only what the section reads is put in its frame: most actions read nothing but `input`.
    const slot = (n: string): number => {
      const s = body.predefined.get(n);
      return s && compiler.readSlots.has(s) ? s.index : -1;
    };
    const common = (['name', 'instance', 'metadata', 'actionsStarted', 'actionsFinished', 'version'] as const).map(slot) as [number, number, number, number, number, number];
    return { code, size: body.frame.size, common, own: OWN_SYMBOLS[key].map(slot), spare: undefined };
  }

  /**
   * A frame for one call of the section, with the symbols it reads filled in (slot numbers found at
   * compile time); `a` and `b` are the section's own symbols. Give it back with `release`.
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
    if (started >= 0) v[started] = BigInt(this.started);
    if (finished >= 0) v[finished] = BigInt(this.finished);
    const own = section.own;
    if (own.length > 0 && own[0]! >= 0) v[own[0]!] = a;
    if (own.length > 1 && own[1]! >= 0) v[own[1]!] = b;
    return frame;
  }

  private release(section: CompiledSection, frame: Frame): void {
    section.spare = frame;
  }

  /** Runs a section's code in a frame of its own; the VM's own range errors come out as limit errors. */
  private run(section: CompiledSection, a?: unknown, b?: unknown): unknown {
    const frame = this.acquire(section, a, b);
    try {
      return section.code(frame);
    } catch (e) {
      throw asLimitError(e);
    } finally {
      this.release(section, frame);
    }
  }

  /** Runs `begin`. Called automatically before the first action if the host did not. */
  begin(): void {
    this.begun = true;
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
   * A function of this engine's own (see `actionDriver`), so a caller can also take it detached:
   * `const score = engine.action`.
   */
  readonly action: (input: unknown) => unknown;

  /** What the generated driver does, written as a method: the closure backend's `action`, and the baseline it is tested against. */
  private plainAction(input: unknown): unknown {
    if (!this.begun) this.begin();
    if (this.validate) {
      const problem = this.validate(input);
      if (problem !== undefined) throw new PfaRuntimeError('input-mismatch', `input does not match the input type: ${problem}`);
    }
    const sec = this.sections.action!;
    const saved = this.rollbackCells.length > 0 || this.rollbackPools.length > 0 ? this.saveRollback() : undefined;
    this.started++;
    this.rt.startCall(this.rt.limits.timeoutAction);
    const frame = this.acquire(sec, input, this.tally);
    try {
      const out = sec.code(frame);
      this.finished++;
      if (this.method === 'fold') this.tally = out;
      return this.method === 'emit' ? null : out;
    } catch (e) {
      throw this.actionFailed(e, saved);
    } finally {
      this.release(sec, frame);
    }
  }

  /**
   * Builds `action`. Its source is one fixed template of this file (no document text), generated
   * per engine so that its calls of the input check and of the compiled action have call sites of
   * their own: written once as a method, every engine of the process would share them, and V8
   * would inline none once several models are loaded. Everything it calls is passed in.
   */
  private actionDriver(planned?: (input: unknown) => unknown): (input: unknown) => unknown {
    const sec = this.sections.action!;
    const rollback = this.rollbackCells.length > 0 || this.rollbackPools.length > 0;
    const bound = { ok: this.validate ? fits(this.inputType) : undefined, code: sec.code, self: this, sec, rt: this.rt, timeout: this.rt.limits.timeoutAction, planned, MISS };
    // The frame's slots, as `acquire` fills them, written out for the symbols this action reads.
    const [name, instance, metadata, started, finished, version] = sec.common;
    const [input, tally] = sec.own;
    const fills = [
      [name, 'self.name'],
      [instance, 'self.instance'],
      [metadata, 'self.metadata'],
      [started, 'BigInt(self.started)'],
      [finished, 'BigInt(self.finished)'],
      [version, 'self.doc.version'],
      [input, 'input'],
      [tally ?? -1, 'self.tally'],
    ] as const;
    const fill = fills.filter(([slot]) => slot >= 0).map(([slot, value]) => `v[${num(slot)}] = ${value};`);
    const result = this.method === 'fold' ? 'self.tally = out; return out;' : this.method === 'emit' ? 'return null;' : 'return out;';
    // An action that is a columnar plan first tries the plan's own scorer (columnar/record.ts):
    // it checks the input as it reads it and raises nothing; what it leaves goes the generic way.
    const fast = planned ? 'const p = planned(input); if (p !== MISS) { self.started++; self.finished++; return p; }' : '';
    const body = `
      if (!self.begun) self.begin();
      ${fast}
      ${this.validate ? 'if (!ok(input)) self.rejectInput(input);' : ''}
      const saved = ${rollback ? 'self.saveRollback()' : 'undefined'};
      self.started++;
      rt.startCall(timeout);
      let frame = sec.spare;
      if (frame === undefined) frame = { v: new Array(${num(sec.size)}), up: null };
      else sec.spare = undefined;
      const v = frame.v;
      ${fill.join(' ')}
      try {
        const out = code(frame);
        self.finished++;
        ${result}
      } catch (e) {
        throw self.actionFailed(e, saved);
      } finally {
        sec.spare = frame;
      }`;
    return compileKernel<(input: unknown) => unknown>({ params: ['input'], body, bound });
  }

  /** Whether `scoreBatch` scores this engine's batches with the columnar kernels (docs/performance.md). */
  get columnar(): boolean {
    return this.plan !== undefined;
  }

  /**
   * An empty batch of `rows` records laid out by column, for `scoreBatch`: one column per element
   * of an array input (`width` of them; an engine with a columnar plan knows its width) or per
   * field of a record input. Inputs must be arrays of doubles or records of double fields.
   */
  createBatch(rows: number, width?: number): ColumnBatch {
    if (!Number.isInteger(rows) || rows < 0) throw new PfaRuntimeError('batch-unsupported', `rows must be a non-negative integer, not ${rows}`);
    const input = this.inputType;
    const numeric = (t: AvroType): boolean => t.kind === 'double' || t.kind === 'float';
    if (input.kind === 'array' && numeric(input.items)) {
      const columns = width ?? this.plan?.width;
      if (columns === undefined || !Number.isInteger(columns) || columns < 0) throw new PfaRuntimeError('batch-unsupported', 'an array input needs the number of columns (width)');
      const runner = this.plan && columns === this.plan.width ? new PlanRunner(kernelModule()!, this.plan, rows) : undefined;
      return new ColumnBatch(rows, columns, undefined, runner, this);
    }
    if (input.kind === 'record' && input.fields.every((f) => numeric(f.type))) {
      return new ColumnBatch(rows, input.fields.length, input.fields.map((f) => f.name), undefined, this);
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
    const runner = this.plan && batchLayout(this.plan) === 'columns' ? this.fillRows(this.plan, batch) : undefined;
    return runner ? this.runColumns(runner, batch.length) : rowLoop(this, this.action)(batch);
  }

  private runColumns(runner: PlanRunner, rows: number): unknown[] {
    if (!this.begun) this.begin();
    const out = runner.run(rows);
    // As many actions as records, started and finished (the plan's steps raise no errors).
    this.started += rows;
    this.finished += rows;
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
    const problem = this.validate?.(input) ?? 'does not fit';
    throw new PfaRuntimeError('input-mismatch', `input does not match the input type: ${problem}`);
  }

  private saveRollback(): { cells: unknown[]; pools: Map<string, unknown>[] } {
    return { cells: this.rollbackCells.map((n) => this.rt.cells.get(n)!.value), pools: this.rollbackPools.map((n) => this.rt.pools.get(n)!.map) };
  }

  /** Restores what rollback saved, and says what to throw for the error `e` of an action. */
  private actionFailed(e: unknown, saved: { cells: unknown[]; pools: Map<string, unknown>[] } | undefined): unknown {
    if (saved) {
      this.rollbackCells.forEach((n, i) => (this.rt.cells.get(n)!.value = saved.cells[i]));
      this.rollbackPools.forEach((n, i) => (this.rt.pools.get(n)!.map = saved.pools[i]!));
    }
    return asLimitError(e);
  }

  /** Runs `end` (for fold engines, `tally` is the current tally). */
  end(): void {
    const sec = this.sections.end;
    if (!sec) return;
    this.rt.startCall(this.rt.limits.timeoutEnd);
    this.run(sec, this.tally);
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
