/**
 * The state compiled code runs against: cells, pools, the random generator, limits. One Runtime
 * belongs to one engine instance; compiled closures capture it (and the cell and pool handles they
 * use) at compile time, so a lookup by name never happens while scoring.
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
  /** Wall-clock budget for one `begin`, `action` or `end` call, in milliseconds (0: none). */
  readonly timeoutBegin: number;
  readonly timeoutAction: number;
  readonly timeoutEnd: number;
  /** Loop iterations and user-function calls allowed in one call of begin/action/end. */
  readonly maxLoopSteps: number;
  /** Nesting of user-function calls (recursion) allowed. */
  readonly maxCallDepth: number;
  /** Elements (array items, map entries, characters, bytes) library functions may create in one call. */
  readonly maxAllocation: number;
}

/** Errors raised by the engine's own limits. `try` does not catch them. */
export class LimitError extends PfaRuntimeError {}

export class Runtime implements EngineContext {
  readonly cells = new Map<string, CellHandle>();
  readonly pools = new Map<string, PoolHandle>();
  steps = 0;
  depth = 0;
  allocated = 0;
  private deadline = Infinity;
  private readonly maxSteps: number;
  emitter: (v: unknown) => void = () => {};
  logger: (message: string, namespace?: string) => void = () => {};

  constructor(
    readonly limits: Limits,
    readonly random: () => number,
  ) {
    this.maxSteps = limits.maxLoopSteps;
  }

  /** Starts the budget of one call of begin/action/end. */
  startCall(timeoutMs: number): void {
    this.steps = 0;
    this.depth = 0;
    this.allocated = 0;
    this.deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  }

  /** Called once per loop iteration: enforces the step limit, and the time limit every 1024 steps. */
  tick(): void {
    const s = ++this.steps;
    if (s > this.maxSteps) throw new LimitError('loop-limit', `more than ${this.maxSteps} loop iterations in one call`);
    if ((s & 1023) === 0 && Date.now() > this.deadline) throw new LimitError('timeout', 'the call exceeded its time limit');
  }

  charge(units: number): void {
    const s = (this.steps += units);
    if (s > this.maxSteps) throw new LimitError('loop-limit', `more than ${this.maxSteps} loop iterations in one call`);
    if (Date.now() > this.deadline) throw new LimitError('timeout', 'the call exceeded its time limit');
  }

  allocate(elements: number): void {
    const a = (this.allocated += elements);
    if (!(a <= this.limits.maxAllocation)) {
      throw new LimitError('allocation-limit', `more than ${this.limits.maxAllocation} elements created in one call`);
    }
  }

  enter(): void {
    if (++this.depth > this.limits.maxCallDepth) {
      this.depth = 0;
      throw new LimitError('recursion-depth', `user functions nested deeper than ${this.limits.maxCallDepth}`);
    }
    this.tick(); // a call counts as a step, so deep or endless recursion meets the same budgets
  }

  leave(): void {
    this.depth--;
  }

  log(message: string, namespace?: string): void {
    this.logger(message, namespace);
  }
}
