/**
 * What a model's callers send and receive, as Avro types over plain JSON. A PFA model reads and
 * writes its own Avro types in Avro's JSON encoding, so plain values get their union tags added
 * before scoring. A PMML model reads records keyed by PMML field names, where any field may be
 * missing, and answers in plain JSON: its wire types are records of nullable fields built from the
 * data dictionary, and its input goes to it untagged.
 */
import type { AvroType, Field, PrimitiveType, RecordType } from '../avro/types.js';
import { fromPlainJson } from '../avro/plain-json.js';
import type { Model } from '../model.js';
import { PmmlModel, type PmmlField } from '../pmml/model.js';

export interface WireTypes {
  readonly input: AvroType;
  readonly output: AvroType;
  /** Whether the model takes Avro JSON (union tags) rather than plain JSON. */
  readonly tagged: boolean;
}

function nullable(dataType: string): AvroType {
  const kind: PrimitiveType['kind'] = /^(double|float|real)$/i.test(dataType) ? 'double' : /^integer$/i.test(dataType) ? 'long' : /^boolean$/i.test(dataType) ? 'boolean' : 'string';
  return { kind: 'union', types: [{ kind: 'null' }, { kind }] };
}

function optionalRecord(name: string, fields: readonly PmmlField[]): RecordType {
  const out: Field[] = fields.map((f) => ({ name: f.name, type: nullable(f.dataType), hasDefault: true, default: null }));
  return { kind: 'record', name, fullName: name, fields: out };
}

export function wireTypes(model: Model): WireTypes {
  if (model instanceof PmmlModel) {
    return { input: optionalRecord('Inputs', model.inputFields), output: optionalRecord('Results', [...model.targetFields, ...model.outputFields]), tagged: false };
  }
  return { input: model.inputType, output: model.outputType, tagged: true };
}

/** A plain JSON record as `model.score` takes it. */
export function modelInput(wire: WireTypes, record: unknown): unknown {
  return wire.tagged ? fromPlainJson(wire.input, record) : record;
}
