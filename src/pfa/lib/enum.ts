/** PFA namespace `enum`. Enum values are their symbol strings (docs/values.md). */
import type { EnumType } from '../../avro/types.js';
import { defineLibrary } from './define.js';

export default defineLibrary('enum', {
  toString: { sig: '(x: enum A) -> string', fn: (x: string) => x },
  toInt: {
    sig: '(x: enum A) -> int',
    make: (site) => {
      const index = new Map((site.paramTypes[0] as EnumType).symbols.map((s, i) => [s, i]));
      return (x: string) => index.get(x)!;
    },
  },
  numSymbols: {
    sig: '(x: enum A) -> int',
    // A property of the type, not of the value.
    make: (site) => {
      const n = (site.paramTypes[0] as EnumType).symbols.length;
      return () => n;
    },
  },
});
