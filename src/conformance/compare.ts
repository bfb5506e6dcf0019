/**
 * Comparison of an engine's result with a conformance suite's expected value, in the suite's JSON
 * encoding (non-finite floats as "inf"/"-inf"/"nan", unions tagged). Numbers of float and double
 * type compare with the suite's tolerances; everything else exactly.
 */
import type { AvroType } from '../avro/types.js';
import { branchName } from '../avro/json.js';

export interface Tolerance {
  /** Two floats both smaller in magnitude than this are equal. */
  readonly zero: number;
  /** Largest allowed |expected - actual| / |expected|. */
  readonly fractional: number;
  /** "inf" matches any number above this (and "-inf" below its negative). */
  readonly infinity: number;
}

/** The suite's strict tolerances (its JVM runner's). */
export const STRICT: Tolerance = { zero: 1e-8, fractional: 0.01, infinity: 1e80 };

function asNumber(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  if (x === 'inf' || x === 'Infinity') return Infinity;
  if (x === '-inf' || x === '-Infinity') return -Infinity;
  if (x === 'nan' || x === 'NaN') return NaN;
  return undefined;
}

function floatsEqual(expected: unknown, actual: unknown, tol: Tolerance): boolean {
  const a = asNumber(actual);
  if (a === undefined) return false;
  if (expected === 'nan') return Number.isNaN(a);
  if (expected === 'inf') return a > tol.infinity;
  if (expected === '-inf') return a < -tol.infinity;
  const e = asNumber(expected);
  if (e === undefined || Number.isNaN(a) || Number.isNaN(e)) return false;
  if (!Number.isFinite(e) || !Number.isFinite(a)) return e === a;
  const ez = Math.abs(e) < tol.zero;
  const az = Math.abs(a) < tol.zero;
  if (ez || az) return ez && az;
  return Math.abs(e - a) / Math.abs(e) <= tol.fractional;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Whether `actual` matches `expected` for a value of type `t`; both in the suite's JSON form. */
export function matches(t: AvroType, expected: unknown, actual: unknown, tol: Tolerance = STRICT): boolean {
  switch (t.kind) {
    case 'float':
    case 'double':
      return floatsEqual(expected, actual, tol);
    case 'int':
    case 'long':
      return (
        asNumber(expected) !== undefined &&
        (typeof expected === 'bigint' || typeof actual === 'bigint'
          ? BigInt(expected as number) === BigInt(actual as number)
          : expected === actual)
      );
    case 'array':
      return (
        Array.isArray(expected) &&
        Array.isArray(actual) &&
        expected.length === actual.length &&
        expected.every((x, i) => matches(t.items, x, actual[i], tol))
      );
    case 'map': {
      if (!isObject(expected) || !isObject(actual)) return false;
      const ek = Object.keys(expected);
      return (
        ek.length === Object.keys(actual).length &&
        ek.every((k) => Object.hasOwn(actual, k) && matches(t.values, expected[k], actual[k], tol))
      );
    }
    case 'record':
      if (!isObject(expected) || !isObject(actual)) return false;
      return t.fields.every(
        (f) => Object.hasOwn(expected, f.name) && Object.hasOwn(actual, f.name) && matches(f.type, expected[f.name], actual[f.name], tol),
      );
    case 'union': {
      if (expected === null || actual === null) return expected === actual;
      if (!isObject(expected) || !isObject(actual)) return false;
      const [ek] = Object.keys(expected);
      const [ak] = Object.keys(actual);
      if (ek !== ak) {
        // A number may be tagged with another numeric branch when both branches hold it.
        return false;
      }
      const branch = t.types.find((b) => branchName(b) === ek);
      return branch !== undefined && matches(branch, expected[ek!], actual[ak!], tol);
    }
    default:
      return expected === actual;
  }
}

/** Multiset comparison for results marked "unordered": both sides sorted by their JSON text first. */
export function matchesUnordered(t: AvroType, expected: unknown, actual: unknown, tol: Tolerance = STRICT): boolean {
  if (t.kind !== 'array' || !Array.isArray(expected) || !Array.isArray(actual)) return matches(t, expected, actual, tol);
  const key = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  const e = [...expected].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const a = [...actual].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  return matches(t, e, a, tol);
}
