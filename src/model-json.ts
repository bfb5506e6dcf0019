/**
 * The JSON conversions of a PFA model's batch scoring (`PfaModel.scoreBatch`), made once per engine:
 * the numeric readers of avro/json-numeric.ts where the input type allows, `fromJson` for the rest;
 * no conversion of a result whose JSON encoding is the value itself, `toJson` for the others.
 */
import { jsonIsValue, NOT_NUMERIC, numericReader } from './avro/json-numeric.js';
import type { PfaEngine } from './pfa/engine.js';

export interface JsonCodec {
  /** `engine.fromJson(json)`, the same value or error. */
  readonly read: (json: unknown) => unknown;
  /** `engine.toJson(value)`, the same value. */
  readonly write: (value: unknown) => unknown;
}

const codecs = new WeakMap<PfaEngine, JsonCodec>();

export function jsonCodec(engine: PfaEngine): JsonCodec {
  let codec = codecs.get(engine);
  if (!codec) {
    const numeric = numericReader(engine.inputType);
    const fromJson = (json: unknown): unknown => engine.fromJson(json);
    const read = numeric
      ? (json: unknown): unknown => {
          const v = numeric(json);
          return v === NOT_NUMERIC ? engine.fromJson(json) : v;
        }
      : fromJson;
    const write = jsonIsValue(engine.outputType) ? (value: unknown): unknown => value : (value: unknown): unknown => engine.toJson(value);
    codec = { read, write };
    codecs.set(engine, codec);
  }
  return codec;
}
