/**
 * Symbol scopes (specification, "Symbols, scope, and data structures"). A scope may be sealed from
 * above (symbols declared outside cannot be reassigned inside: function arguments, conditions,
 * unordered loops, inline functions) and sealed within (no new declarations: argument lists,
 * `let`/`set` values). Shadowing an existing symbol is an error, as in the specification, except
 * for the parameters of an inline function, which may take the name of a symbol of the enclosing
 * scope (both reference engines allow it; inside the function the name means the parameter).
 */
import type { AvroType } from '../../avro/types.js';
import { PfaSemanticError } from '../../errors.js';
import type { FrameInfo, Slot } from './info.js';

export class Scope {
  private readonly vars = new Map<string, Slot>();

  constructor(
    readonly parent: Scope | undefined,
    readonly frame: FrameInfo,
    readonly sealedAbove: boolean,
    readonly sealedWithin: boolean,
  ) {}

  /** A child scope in the same frame. */
  child(opts: { sealedAbove?: boolean; sealedWithin?: boolean } = {}): Scope {
    return new Scope(this, this.frame, opts.sealedAbove ?? false, opts.sealedWithin ?? false);
  }

  /** A scope for a nested function body: a new frame, sealed from above. */
  nestedFunction(): Scope {
    return new Scope(this, { depth: this.frame.depth + 1, size: 0 }, true, false);
  }

  lookup(name: string): Slot | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) return v;
    }
    return undefined;
  }

  /** The slot for reassigning `name`, or a semantic error saying why it may not be reassigned. */
  forAssignment(name: string, at: string): Slot {
    let crossedSeal = false;
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v) {
        if (v.readonly) throw new PfaSemanticError('readonly-symbol', `symbol "${name}" cannot be reassigned`, { pointer: at });
        if (crossedSeal)
          throw new PfaSemanticError('sealed-scope', `symbol "${name}" is declared outside this scope, which may not modify it`, {
            pointer: at,
          });
        return v;
      }
      if (s.sealedAbove) crossedSeal = true;
    }
    throw new PfaSemanticError('unknown-symbol', `unknown symbol "${name}"`, { pointer: at });
  }

  declare(name: string, type: AvroType, at: string, readonly = false): Slot {
    if (this.sealedWithin)
      throw new PfaSemanticError('declaration-not-allowed', `cannot declare "${name}" here (wrap the expression in a "do" form)`, {
        pointer: at,
      });
    if (this.lookup(name)) throw new PfaSemanticError('redeclared-symbol', `symbol "${name}" is already defined`, { pointer: at });
    return this.add(name, type, readonly);
  }

  /** A function parameter: only another parameter of the same function may not have its name (the parser checks that). */
  declareParameter(name: string, type: AvroType): Slot {
    return this.add(name, type, false);
  }

  private add(name: string, type: AvroType, readonly: boolean): Slot {
    const slot: Slot = { name, index: this.frame.size++, depth: this.frame.depth, type, readonly };
    this.vars.set(name, slot);
    return slot;
  }
}

export function rootScope(): Scope {
  return new Scope(undefined, { depth: 0, size: 0 }, false, false);
}
