/**
 * Reading and copy-on-write updating along the paths of `attr`, `cell` and `pool` forms. Values
 * are immutable, so an update copies only the containers on the path and shares everything else.
 */
import { PfaRuntimeError } from '../../errors.js';
import { withField } from '../../avro/values.js';
import type { Step } from '../check/info.js';
import type { Code, Frame } from './runtime.js';

/** The error codes a form raises for a missing array index or map key. */
export interface PathErrors {
  readonly index: number;
  readonly key: number;
}

/** Each form's codes (the specification's). */
export const ATTR_ERRORS: PathErrors = { index: 2000, key: 2001 };
export const ATTR_TO_ERRORS: PathErrors = { index: 2002, key: 2003 };
export const CELL_ERRORS: PathErrors = { index: 2004, key: 2005 };
export const CELL_TO_ERRORS: PathErrors = { index: 2006, key: 2007 };
export const POOL_ERRORS: PathErrors = { index: 2008, key: 2009 };
export const POOL_TO_ERRORS: PathErrors = { index: 2010, key: 2011 };

type Access = (container: unknown, f: Frame) => unknown;

function index(i: unknown, arr: unknown[], code: number): number {
  const n = typeof i === 'bigint' ? Number(i) : (i as number);
  if (n < 0 || n >= arr.length || !Number.isInteger(n)) throw new PfaRuntimeError(code, 'array index not found');
  return n;
}

/** The element of `arr` at index `i` (an int or a long), or error `code`: one step of a path read (generated code calls it too). */
export function readIndex(arr: unknown[], i: unknown, code: number): unknown {
  return arr[index(i, arr, code)];
}

/** The value of `m` at key `k`, or error `code`. */
export function readKey(m: Map<string, unknown>, k: string, code: number): unknown {
  if (!m.has(k)) throw new PfaRuntimeError(code, 'map key not found');
  return m.get(k);
}

function accessor(step: Step, key: Code | null, errors: PathErrors): Access {
  switch (step.kind) {
    case 'field': {
      const name = step.name;
      return (c) => (c as Record<string, unknown>)[name];
    }
    case 'index':
      return (c, f) => readIndex(c as unknown[], key!(f), errors.index);
    case 'key':
      return (c, f) => readKey(c as Map<string, unknown>, key!(f) as string, errors.key);
  }
}

export function getPath(steps: readonly Step[], keys: readonly (Code | null)[], errors: PathErrors): (value: unknown, f: Frame) => unknown {
  const access = steps.map((s, i) => accessor(s, keys[i]!, errors));
  if (access.length === 1) return access[0]!;
  return (value, f) => {
    let v = value;
    for (const a of access) v = a(v, f);
    return v;
  };
}

/**
 * Returns a function producing a copy of `value` whose element at the path is `replace(old)`.
 * Index and key expressions are evaluated once, before anything is replaced.
 */
export function updatePath(
  steps: readonly Step[],
  keys: readonly (Code | null)[],
  errors: PathErrors,
  replace: (old: unknown, f: Frame) => unknown,
): (value: unknown, f: Frame) => unknown {
  const go = (v: unknown, i: number, ks: unknown[], f: Frame): unknown => {
    if (i === steps.length) return replace(v, f);
    const step = steps[i]!;
    switch (step.kind) {
      case 'field': {
        const rec = v as Record<string, unknown>;
        return withField(rec, step.name, go(rec[step.name], i + 1, ks, f));
      }
      case 'index': {
        const arr = v as unknown[];
        const n = index(ks[i], arr, errors.index);
        const out = arr.slice();
        out[n] = go(arr[n], i + 1, ks, f);
        return out;
      }
      case 'key': {
        const m = v as Map<string, unknown>;
        const k = ks[i] as string;
        if (!m.has(k)) throw new PfaRuntimeError(errors.key, 'map key not found');
        const out = new Map(m);
        out.set(k, go(m.get(k), i + 1, ks, f));
        return out;
      }
    }
  };
  return (value, f) =>
    go(
      value,
      0,
      keys.map((k) => (k ? k(f) : null)),
      f,
    );
}
