/**
 * Property reads in generated code. A key that is a plain identifier is written `.key`; any other
 * (`a"b`, `x-y`, a keyword-looking or numeric-looking name, `__proto__`) as `["key"]` with the key
 * quoted, so no key can end the expression. `__proto__` is always quoted: written bare it is the
 * prototype accessor in some positions (object literals), and quoting it everywhere keeps the rule simple.
 */
import { code, isCode, mint, stringSource, type Code } from './code.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Whether `key` may be written after a dot. */
export function isIdentifier(key: string): boolean {
  return typeof key === 'string' && IDENTIFIER.test(key) && key !== '__proto__';
}

/** `object.key` or `object["key"]`. */
export function property(object: Code, key: string): Code {
  if (typeof key !== 'string') throw new TypeError('internal: a property key must be a string');
  return isIdentifier(key) ? mint(`${object.text}.${key}`) : mint(`${object.text}[${stringSource(key)}]`);
}

/**
 * An object literal of own properties `key: value`, in order. A key that is not a plain identifier
 * is written as a computed `["key"]`: a computed `__proto__` defines an own property, where a plain
 * or quoted `__proto__:` would set the object's prototype.
 */
export function objectLiteral(entries: readonly (readonly [string, Code])[]): Code {
  const parts = entries.map(([key, value]) => {
    if (typeof key !== 'string') throw new TypeError('internal: a property key must be a string');
    if (!isCode(value)) throw new TypeError('internal: a property value must be Code');
    return `${isIdentifier(key) ? key : `[${stringSource(key)}]`}: ${value.text}`;
  });
  return mint(`{${parts.join(', ')}}`);
}

/** `object[i]` for an index known when the code is generated (a non-negative integer). */
export function element(object: Code, index: number): Code {
  if (!Number.isSafeInteger(index) || index < 0)
    throw new TypeError(`internal: element index ${String(index)} is not a non-negative integer`);
  return code`${object}[${index}]`;
}
