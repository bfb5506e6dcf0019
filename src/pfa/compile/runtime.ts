/**
 * The state compiled code runs against: cells, pools, the random generator, limits. One Runtime
 * belongs to one engine instance. Compiled code does not capture it: it captures its program's
 * RuntimeLink, which an engine points at its own Runtime for the length of each call, so that one
 * compiled program serves any number of engines. Cells and pools are reached by the index the
 * program gave them at compile time, so a lookup by name never happens while scoring.
 */
import { PfaRuntimeError } from '../../errors.js';
import type { EngineContext } from '../lib/define.js';

/** A function activation: its variable slots, and the enclosing activation for inline functions. */
export interface Frame {
  readonly v: unknown[];
  readonly up: Frame | null;
}

export type Code = (f: Frame) => unknown;

export interface CellHandle {
  value: unknown;
}

export interface PoolHandle {
  map: Map<string, unknown>;
}

export interface Limits {
  /** Wall-clock budget for one `begin`, `action` (and `merge`) or `end` call, in milliseconds (0: none). */
  readonly timeoutBegin: number;
  readonly timeoutAction: number;
  readonly timeoutEnd: number;
  /** Loop iterations, user-function calls and library work units allowed in one call. */
  readonly maxLoopSteps: number;
  /** Nesting of user-function calls (recursion) allowed. */
  readonly maxCallDepth: number;
  /** Elements (array items, map entries, characters, bytes) library functions may create in one call. */
  readonly maxAllocation: number;
}

/**
 * Errors raised by the engine's own budgets (`timeout`, `loop-limit`, `recursion-depth`,
 * `allocation-limit`, `stack-overflow`). `try` does not catch them: a document must not be able to
 * swallow the host's limits and carry on.
 */
export class LimitError extends PfaRuntimeError {}

/** How many steps or elements may pass between two looks at the clock. */
const CLOCK_BLOCK = 1024;

/**
 * A JS error raised by the VM rather than by the engine (stack exhausted, an array or string longer
 * than the VM allows), as the limit error it stands for; anything else is returned as it is.
 */
export function asLimitError(e: unknown): unknown {
  if (!(e instanceof RangeError)) return e;
  if (/call stack/i.test(e.message)) return new LimitError('stack-overflow', 'the computation nested too deeply for the stack');
  if (/invalid (array|string|typed array) length|allocation failed|out of memory/i.test(e.message)) {
    return new LimitError('allocation-limit', `a value larger than the VM allows: ${e.message}`);
  }
  return e;
}

export class Runtime implements EngineContext {
  readonly cells = new Map<string, CellHandle>();
  readonly pools = new Map<string, PoolHandle>();
  /** The same handles in the order of the document's cells and pools: what compiled code indexes. */
  readonly cellHandles: CellHandle[] = [];
  readonly poolHandles: PoolHandle[] = [];
  steps = 0;
  depth = 0;
  allocated = 0;
  /** When the call's time is up; NaN until the clock is first read in the call. */
  private deadline = NaN;
  private timeoutMs = 0;
  /** The step or allocation count at which the clock is read next. */
  private nextClock = CLOCK_BLOCK;
  private nextClockAlloc = CLOCK_BLOCK;
  private readonly maxSteps: number;
  private readonly maxAlloc: number;
  private readonly maxDepth: number;
  emitter: (v: unknown) => void = () => {};
  logger: (message: string, namespace?: string) => void = () => {};

  constructor(
    readonly limits: Limits,
    readonly random: () => number,
  ) {
    this.maxSteps = limits.maxLoopSteps;
    this.maxAlloc = limits.maxAllocation;
    this.maxDepth = limits.maxCallDepth;
  }

  /**
   * Starts the budgets of one call of begin/action/end/merge. The clock is not read here: reading
   * it costs ten times a small action. The call's time starts at its first look at the clock, after
   * its first 1024 steps or elements (or a library function's charge of a larger block, before that
   * work), so a call too small ever to look costs nothing, and a call that runs long is measured
   * from a point at most one block of work after its start.
   */
  startCall(timeoutMs: number): void {
    this.steps = 0;
    this.depth = 0;
    this.allocated = 0;
    this.nextClock = CLOCK_BLOCK;
    this.nextClockAlloc = CLOCK_BLOCK;
    this.timeoutMs = timeoutMs;
    this.deadline = NaN;
  }

  /** Called once per loop iteration: enforces the step limit, and the time limit every 1024 steps. */
  tick(): void {
    const s = ++this.steps;
    if (s > this.maxSteps) this.stepsSpent();
    if (s >= this.nextClock) this.lookAtClock();
  }

  /**
   * Library work: `units` against the step budget. The clock is read whenever the count passes a
   * block of 1024, so one small call costs two comparisons and a call charging a big block (or the
   * block that completes one) looks at the clock.
   */
  charge(units: number): void {
    const s = (this.steps += units);
    if (!(s <= this.maxSteps)) this.stepsSpent();
    if (s >= this.nextClock) this.lookAtClock();
  }

  /**
   * Reserves `elements` against the allocation budget before they are created. Counted per call,
   * copies included, so a loop that rebuilds a growing value meets it as well as one huge request.
   */
  allocate(elements: number): void {
    const a = (this.allocated += elements);
    if (!(a <= this.maxAlloc)) {
      throw new LimitError('allocation-limit', `more than ${this.maxAlloc} elements created in one call`);
    }
    if (a >= this.nextClockAlloc) {
      this.nextClockAlloc = a + CLOCK_BLOCK;
      this.checkDeadline();
    }
  }

  private stepsSpent(): never {
    throw new LimitError('loop-limit', `more than ${this.maxSteps} loop iterations or units of library work in one call`);
  }

  private lookAtClock(): void {
    this.nextClock = this.steps + CLOCK_BLOCK;
    this.checkDeadline();
  }

  private checkDeadline(): void {
    const now = Date.now();
    if (Number.isNaN(this.deadline)) {
      const ms = this.timeoutMs;
      this.deadline = ms > 0 && ms < Infinity ? now + ms : Infinity;
    } else if (now > this.deadline) {
      throw this.timedOut();
    }
  }

  private timedOut(): LimitError {
    return new LimitError('timeout', 'the call exceeded its time limit');
  }

  enter(): void {
    if (++this.depth > this.maxDepth) {
      this.depth = 0;
      throw new LimitError('recursion-depth', `user functions nested deeper than ${this.maxDepth}`);
    }
    this.tick(); // a call counts as a step, so deep or endless recursion meets the same budgets
  }

  leave(): void {
    this.depth--;
  }

  log(message: string, namespace?: string): void {
    this.logger(message, namespace);
  }

  /** Adds the next cell of the document (in the document's order, which is the program's index). */
  addCell(name: string, value: unknown): void {
    const handle = { value };
    this.cells.set(name, handle);
    this.cellHandles.push(handle);
  }

  addPool(name: string, map: Map<string, unknown>): void {
    const handle = { map };
    this.pools.set(name, handle);
    this.poolHandles.push(handle);
  }
}

/** Code run outside any engine's call finds this runtime: no step is allowed, no cell exists. */
const DETACHED = new Runtime(
  { timeoutBegin: 0, timeoutAction: 0, timeoutEnd: 0, maxLoopSteps: 0, maxCallDepth: 0, maxAllocation: 0 },
  () => 0,
);

/**
 * What a compiled program's code reaches its engine through: the Runtime of the engine whose call
 * is running. An engine attaches its Runtime when a call starts and restores the previous one when
 * it ends, so a host that scores with another engine of the same program from inside a callback
 * (onEmit, onLog) gets its own state, and the outer call finds its own again. Library functions
 * receive the link as their EngineContext; each of its methods passes the call to the Runtime.
 */
export class RuntimeLink implements EngineContext {
  rt: Runtime = DETACHED;
  cells: CellHandle[] = DETACHED.cellHandles;
  pools: PoolHandle[] = DETACHED.poolHandles;

  /**
   * Makes `rt` the runtime of the code for a call. Returns the runtime to give back to `attach`
   * when the call ends, or undefined when there is none to give back: the link stays with the
   * last engine that ran (every call attaches its own first), so an engine scoring call after call
   * switches nothing, and only a call made inside another engine's call restores the outer one.
   */
  enter(rt: Runtime): Runtime | undefined {
    const previous = this.rt;
    if (previous === rt) return undefined;
    this.attach(rt);
    return previous === DETACHED ? undefined : previous;
  }

  attach(rt: Runtime): void {
    this.rt = rt;
    this.cells = rt.cellHandles;
    this.pools = rt.poolHandles;
  }

  random(): number {
    return this.rt.random();
  }

  log(message: string, namespace?: string): void {
    this.rt.log(message, namespace);
  }

  charge(units: number): void {
    this.rt.charge(units);
  }

  allocate(elements: number): void {
    this.rt.allocate(elements);
  }
}
