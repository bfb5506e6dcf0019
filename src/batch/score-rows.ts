/**
 * Scoring one row and keeping its result or its failure, with the failure's code (a broken budget
 * is `timeout`, `loop-limit`, `recursion-depth` or `allocation-limit`). The same function runs on
 * the calling thread and in the worker threads, so a row is rejected the same way with or without
 * `--threads`. Outcomes cross threads as plain data.
 */
import { TrajanError } from '../errors.js';
import type { AvroType } from '../avro/types.js';
import type { Model } from '../model.js';
import { wireScorer, wireTypes } from '../io/wire.js';
import { MAX_NESTING, nestsDeeperThan } from '../io/input-error.js';

export type RowOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string; readonly code?: string | number };

/**
 * The most levels of objects and arrays a value of `t` nests in Avro's JSON encoding (a union's
 * branch is one object more), or Infinity for a recursive type, which has no bound.
 */
export function deepestNesting(t: AvroType, open: Set<AvroType> = new Set()): number {
  switch (t.kind) {
    case 'array':
      return 1 + deepestNesting(t.items, open);
    case 'map':
      return 1 + deepestNesting(t.values, open);
    case 'union':
      return 1 + Math.max(...t.types.map((b) => deepestNesting(b, open)));
    case 'record': {
      if (open.has(t)) return Number.POSITIVE_INFINITY;
      open.add(t);
      const deepest = Math.max(0, ...t.fields.map((f) => deepestNesting(f.type, open)));
      open.delete(t);
      return 1 + deepest;
    }
    default:
      return 0;
  }
}

export function rowScorer(model: Model): (record: unknown) => RowOutcome {
  const wire = wireTypes(model);
  const scoreWire = wireScorer(model);
  // A recursive output type lets a model build a result deep enough to break the writers; any
  // other type bounds its results' depth, and the walk over every result is left out.
  const bounded = deepestNesting(wire.output) <= MAX_NESTING;
  return (record) => {
    try {
      // The wire encoding: an Avro output file keeps the union branch the model chose.
      const value = scoreWire(record);
      if (!bounded && nestsDeeperThan(value, MAX_NESTING))
        return { ok: false, error: `the result nests deeper than ${MAX_NESTING} levels`, code: 'too-deep' };
      return { ok: true, value };
    } catch (e) {
      if (e instanceof TrajanError) return { ok: false, error: e.message, code: e.code };
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  };
}
