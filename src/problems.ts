/**
 * Problems collected instead of thrown: `check` reports every independent problem of a document,
 * where loading stops at the first. The checkers throw coded errors as they always have; a
 * recovery point (`attempt`) around one part of the document records what that part threw and
 * lets the checker go on with the next part, the failed part standing in with a fallback.
 *
 * Cascades are told apart with one counter (`taint`): it moves whenever a problem is recorded and
 * whenever a checker uses something an earlier problem left broken (a variable whose value failed,
 * a cell whose type did not parse). An error thrown by a part whose checking moved the counter is
 * a consequence of a problem already reported, and is dropped.
 */
import { TrajanError, type Location } from './errors.js';

export type Severity = 'error' | 'warning';

export interface Problem {
  readonly code: string | number;
  readonly severity: Severity;
  /** The kind of the error behind it: `syntax`, `semantic`, `initialization`, ... */
  readonly kind: TrajanError['kind'];
  readonly message: string;
  /** JSON pointer (PFA) and, when the document was text, line and column. */
  readonly location: Location;
}

/** Most problems one check reports unless told otherwise: a hostile document cannot make a huge report. */
export const DEFAULT_MAX_PROBLEMS = 100;

/**
 * Ends a check where it is, what was recorded being all there is to say: a part that everything
 * after it needs failed (a PMML model), or the collector is full. It is not a TrajanError, so that
 * no recovery point keeps it.
 */
export class CheckStopped extends Error {
  constructor(why = 'the check stopped') {
    super(why);
  }
}

/** Thrown by `Problems.add` once the collector is full. */
export class ProblemLimitReached extends CheckStopped {
  constructor() {
    super('problem limit reached');
  }
}

export class Problems {
  readonly list: Problem[] = [];
  /** Whether problems were left out because `max` was reached. */
  truncated = false;
  private taint = 0;

  constructor(readonly max = DEFAULT_MAX_PROBLEMS) {}

  /** Records `e` (at `at` when it carries no location of its own); throws ProblemLimitReached past `max`. */
  add(e: TrajanError, at?: Location, severity: Severity = 'error'): void {
    this.taint++;
    if (this.list.length >= this.max) {
      this.truncated = true;
      throw new ProblemLimitReached();
    }
    this.list.push({ code: e.code, severity, kind: e.kind, message: e.message, location: e.location ?? at ?? {} });
  }

  /** The checker used something an earlier problem left broken: what fails because of it is a cascade. */
  tainted(): void {
    this.taint++;
  }

  /**
   * Runs one part of the document. A coded error it throws is recorded (unless the part met an
   * earlier problem: then it is a cascade) and the part's result is `fallback`. Anything else (a
   * defect, the stack running out, the limit reached) goes on up to the check's own boundary.
   */
  attempt<R>(run: () => R, fallback: () => R, at?: Location): R {
    const before = this.taint;
    try {
      return run();
    } catch (e) {
      if (!(e instanceof TrajanError)) throw e;
      if (this.taint === before) this.add(e, at);
      else this.taint++;
      return fallback();
    }
  }

  /**
   * Runs a whole check: what escapes every recovery point (a coded error outside them, a defect
   * made coded by `coded`) is recorded too; reaching the limit just ends it.
   */
  runAll(run: () => void, coded: (e: unknown) => TrajanError): void {
    try {
      this.attempt(run, () => undefined);
    } catch (e) {
      if (e instanceof CheckStopped) return;
      try {
        this.add(coded(e));
      } catch (limit) {
        if (!(limit instanceof ProblemLimitReached)) throw limit;
      }
    }
  }
}
