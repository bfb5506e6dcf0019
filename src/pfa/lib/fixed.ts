/** PFA namespace `fixed`. Fixed and bytes values are both `Uint8Array`s (docs/values.md). */
import type { FixedType } from '../../avro/types.js';
import { defineLibrary } from './define.js';

export default defineLibrary('fixed', {
  // Values are immutable, so the fixed's own array serves as the bytes value.
  toBytes: { sig: '(x: fixed A) -> bytes', fn: (x: Uint8Array) => x },
  fromBytes: {
    sig: '(original: fixed A, replacement: bytes) -> A',
    make: (site) => {
      const size = (site.paramTypes[0] as FixedType).size;
      // The replacement's leading bytes over a copy of the original; excess bytes are dropped.
      return (original: Uint8Array, replacement: Uint8Array) => {
        const out = original.slice();
        out.set(replacement.subarray(0, size));
        return out;
      };
    },
  },
});
