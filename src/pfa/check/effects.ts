/**
 * Side effects on cells and pools, for the specification's rule that the update functions of
 * `cell-to` and `pool-to` (and here `pool-to`'s `init`) must not modify cells or pools, directly or
 * through any function they call ("Concurrent access": a writer's lock would be taken twice).
 *
 * While the checker walks the document it reports what it sees to the collectors open at that
 * point: one per user function body, one per restricted part. At the end, each restricted part is
 * judged over the call graph of user functions, walked with a worklist (no recursion, however long
 * the chains of calls).
 */

/** `u.a, which calls u.b, which calls u.c`; a long chain is shortened in the middle. */
function describeChain(chain: readonly string[]): string {
  const names = chain.map((n) => `u.${n}`);
  if (names.length <= 4) return names.join(', which calls ');
  return `${names[0]}, which calls ${names[1]}, which through ${names.length - 3} more calls reaches ${names[names.length - 1]}`;
}

interface Collector {
  modifies: boolean;
  readonly calls: Set<string>;
}

interface Restricted extends Collector {
  readonly what: string;
  readonly at: string;
}

export class Effects {
  private readonly open: Collector[] = [];
  private readonly fcns = new Map<string, Collector>();
  private readonly restricted: Restricted[] = [];

  /** Starts collecting for the body of user function `name`. */
  enter(name: string): void {
    const c: Collector = { modifies: false, calls: new Set() };
    this.fcns.set(name, c);
    this.open.push(c);
  }

  leave(): void {
    this.open.pop();
  }

  /** Runs `check` over a part that must not modify cells or pools (`what`, at `at`). */
  restrictedPart<R>(what: string, at: string, check: () => R): R {
    const r: Restricted = { what, at, modifies: false, calls: new Set() };
    this.restricted.push(r);
    this.open.push(r);
    try {
      return check();
    } finally {
      this.open.pop();
    }
  }

  /** A `cell-to`, `pool-to` or `pool-del` form. */
  modifies(): void {
    for (const c of this.open) c.modifies = true;
  }

  /** A call of (or reference to) user function `name`. */
  calls(name: string): void {
    for (const c of this.open) c.calls.add(name);
  }

  /**
   * The user functions that modify cells or pools, directly or through their calls: propagated
   * once from the modifying ones to their callers, over the reversed call graph.
   */
  private impure(): Set<string> {
    const callers = new Map<string, string[]>();
    for (const [name, c] of this.fcns) {
      for (const callee of c.calls) {
        const list = callers.get(callee);
        if (list) list.push(name);
        else callers.set(callee, [name]);
      }
    }
    const out = new Set<string>();
    const queue: string[] = [];
    for (const [name, c] of this.fcns) {
      if (c.modifies) {
        out.add(name);
        queue.push(name);
      }
    }
    for (let i = 0; i < queue.length; i++) {
      for (const caller of callers.get(queue[i]!) ?? []) {
        if (!out.has(caller)) {
          out.add(caller);
          queue.push(caller);
        }
      }
    }
    return out;
  }

  /** The first restricted part that modifies cells or pools, with a message saying how. */
  firstViolation(): { message: string; at: string } | undefined {
    if (this.restricted.length === 0) return undefined;
    const impure = this.impure();
    for (const r of this.restricted) {
      if (r.modifies) return { message: `${r.what} must not modify cells or pools (it uses cell-to, pool-to or pool-del)`, at: r.at };
      if (![...r.calls].some((n) => impure.has(n))) continue;
      // Only now, for the message: the shortest chain of calls to a modifying function.
      const via = this.reaches(r.calls);
      if (via)
        return { message: `${r.what} must not modify cells or pools (it calls ${describeChain(via)}, which modifies them)`, at: r.at };
    }
    return undefined;
  }

  /** A chain of calls from `start` to a user function that modifies cells or pools, if there is one. */
  private reaches(start: ReadonlySet<string>): string[] | undefined {
    const from = new Map<string, string | undefined>();
    const queue: string[] = [];
    for (const n of start) {
      if (!from.has(n)) {
        from.set(n, undefined);
        queue.push(n);
      }
    }
    for (let i = 0; i < queue.length; i++) {
      const n = queue[i]!;
      const c = this.fcns.get(n);
      if (!c) continue;
      if (c.modifies) {
        const chain: string[] = [];
        for (let m: string | undefined = n; m !== undefined; m = from.get(m)) chain.unshift(m);
        return chain;
      }
      for (const m of c.calls) {
        if (!from.has(m)) {
          from.set(m, n);
          queue.push(m);
        }
      }
    }
    return undefined;
  }
}
