/** Choosing an implementation by the numeric type a call site resolved, shared by the core operators and `m.*`. */
import type { FnDef, Impl } from '../define.js';

export type NumericKind = 'int' | 'long' | 'float' | 'double';

/**
 * A function generic over numbers (`any A of int|long|float|double`), given as one closure per
 * numeric type: the type bound to its first parameter at the call site picks one at compile time.
 */
export function byNumericType(sig: string, errors: readonly number[], impls: Partial<Record<NumericKind, Impl>>): FnDef {
  return {
    sig,
    errors,
    make: (site) => {
      const impl = impls[site.paramTypes[0]!.kind as NumericKind];
      if (!impl) throw new Error(`${site.name} has no implementation for ${site.paramTypes[0]!.kind}`);
      return impl;
    },
  };
}
