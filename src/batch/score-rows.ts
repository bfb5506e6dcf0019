/**
 * Scoring one row and keeping its result or its failure, with the failure's code (a broken budget
 * is `timeout`, `loop-limit`, `recursion-depth` or `allocation-limit`). The same function runs on
 * the calling thread and in the worker threads, so a row is rejected the same way with or without
 * `--threads`. Outcomes cross threads as plain data.
 */
import { TrajanError } from '../errors.js';
import type { Model } from '../model.js';
import { modelInput, wireTypes } from '../io/wire.js';
import { MAX_NESTING, nestsDeeperThan } from '../io/input-error.js';

export type RowOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string; readonly code?: string | number };

export function rowScorer(model: Model): (record: unknown) => RowOutcome {
  const wire = wireTypes(model);
  return (record) => {
    try {
      // The wire encoding: an Avro output file keeps the union branch the model chose.
      const value = model.scoreWire(modelInput(wire, record));
      // A recursive output type lets a model build a result deep enough to break the writers.
      if (nestsDeeperThan(value, MAX_NESTING))
        return { ok: false, error: `the result nests deeper than ${MAX_NESTING} levels`, code: 'too-deep' };
      return { ok: true, value };
    } catch (e) {
      if (e instanceof TrajanError) return { ok: false, error: e.message, code: e.code };
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  };
}
