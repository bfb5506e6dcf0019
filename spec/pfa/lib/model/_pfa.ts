/**
 * Runs tiny PFA documents for the model specs: inputs and outputs in Avro's JSON encoding, so
 * expectations read like the documents.
 */
import { loadPfa, PfaRuntimeError } from '../../../../src/index.js';

export type Doc = Record<string, unknown>;

/** A scorer for `doc`: JSON input in, JSON output out. */
export function scorer(doc: Doc): (input: unknown) => unknown {
  const engine = loadPfa(doc, { randseed: 12345 });
  return (input) => engine.toJson(engine.action(engine.fromJson(input)));
}

/** The numeric code of the runtime error scoring `input` raises, or a description of what happened instead. */
export function errorOf(score: (input: unknown) => unknown, input: unknown): number | string {
  try {
    return `no error: ${JSON.stringify(score(input))}`;
  } catch (e) {
    return e instanceof PfaRuntimeError ? (e.code as number) : `not a runtime error: ${String(e)}`;
  }
}
