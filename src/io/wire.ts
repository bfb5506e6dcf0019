/**
 * What a model's callers send and receive, as Avro types over plain JSON, for the servers, the batch
 * pipeline and the worker pool. Each model says it (`model.wire`): a PFA model reads and writes its
 * own Avro types, whose values the engine takes in Avro's JSON encoding (`tagged`); a PMML model
 * reads records keyed by PMML field names, where any field may be missing, and answers in plain
 * JSON: its wire types are records of nullable fields built from the data dictionary.
 */
import type { AvroType } from '../avro/types.js';
import { fromPlainJson } from '../avro/plain-json.js';
import { PfaModel, type Model } from '../model.js';

export interface WireTypes {
  readonly input: AvroType;
  readonly output: AvroType;
  /** Whether `model.scoreWire` takes and gives Avro JSON (union tags) rather than plain JSON. */
  readonly tagged: boolean;
}

/** The wire types of any model (`model.wire`). */
export function wireTypes(model: Pick<Model, 'wire'>): WireTypes {
  return model.wire;
}

/** A plain JSON record as `model.scoreWire` takes it (`model.score` takes the plain record itself). */
export function modelInput(wire: WireTypes, record: unknown): unknown {
  return wire.tagged ? fromPlainJson(wire.input, record) : record;
}

/**
 * `model.scoreWire` of plain (or Avro) JSON records, each as `modelInput` makes it, for the batch
 * pipeline and the worker pool: a PFA model reads a plain record of scalar fields in one pass
 * instead, without the tagged record in between (model.ts, scorePlainWire), to the same answers.
 */
export function wireScorer(model: Model): (record: unknown) => unknown {
  if (model instanceof PfaModel) return (record) => model.scorePlainWire(record);
  const wire = wireTypes(model);
  return (record) => model.scoreWire(modelInput(wire, record));
}
