/**
 * Names in generated code. A Scope hands out identifiers made of a prefix (letters and underscores
 * only) and a counter, so no two of its names can be equal and none can be a JavaScript keyword or a
 * global the code uses (`Math`, `Array`, ...): emitters never keep names apart by hand.
 *
 * A Scope also holds the values generated code refers to (library implementations, constants,
 * converters): `bind` gives such a value a name, and kernel.ts passes them in when it compiles.
 */
import { mintName, type Name } from './code.js';

const PREFIX = /^[A-Za-z_]+$/;

export class Scope {
  private readonly counts = new Map<string, number>();
  private readonly values: [Name, unknown][] = [];

  /** A fresh identifier `prefix<n>`. */
  name(prefix: string): Name {
    if (!PREFIX.test(prefix)) throw new TypeError(`internal: name prefix ${JSON.stringify(prefix)} must be letters and underscores`);
    const n = this.counts.get(prefix) ?? 0;
    this.counts.set(prefix, n + 1);
    return mintName(`${prefix}${n}`);
  }

  /** A fresh name under which the compiled code sees `value` (a constant of the kernel). */
  bind(prefix: string, value: unknown): Name {
    const name = this.name(prefix);
    this.values.push([name, value]);
    return name;
  }

  /** The bound values, in the order they were bound. */
  get bound(): readonly (readonly [Name, unknown])[] {
    return this.values;
  }
}
