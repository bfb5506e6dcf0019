/**
 * Scoring records one by one, keeping each record's result or failure: what batch jobs need to
 * send bad rows to a rejects file and what the worker pool sends back from its threads (errors do
 * not survive the trip between threads as objects, so they travel as messages, with their code and
 * kind when they are TrajanErrors).
 */
import { TrajanError } from '../errors.js';
import type { Model } from '../model.js';
import { wireScorer } from './wire.js';

export type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string; readonly code?: string | number; readonly kind?: TrajanError['kind'] };

export function outcomeOf(score: () => unknown): Outcome {
  try {
    return { ok: true, value: score() };
  } catch (e) {
    if (e instanceof TrajanError) return { ok: false, error: e.message, code: e.code, kind: e.kind };
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Scores records given in plain or Avro JSON; results are in the wire encoding (`model.scoreWire`). */
export function scoreEach(model: Model, records: readonly unknown[]): Outcome[] {
  const score = wireScorer(model);
  return records.map((r) => outcomeOf(() => score(r)));
}
