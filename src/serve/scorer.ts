/**
 * One servable model version: a `Model` plus its request validator. Requests carry plain JSON
 * (nullable fields as plain values); union tags are added, the record is validated against the
 * JSON Schema of the Avro input type (compiled once, here), scored, and the tags are removed from
 * the result. Every problem caused by the request becomes a `RequestError`, never a 500.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { JsonValueError } from '../avro/json.js';
import { avroJsonSchema } from '../avro/json-schema.js';
import { fromPlainJson, toPlainJson } from '../avro/plain-json.js';
import { TrajanError } from '../errors.js';
import type { Model } from '../model.js';
import { wireTypes, type WireTypes } from './wire.js';

/** A problem with a request: the HTTP status and a JSON body to answer with. */
export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function invalid(record: number, error: ErrorObject | undefined): RequestError {
  const path = error?.instancePath || '/';
  const reason = error?.message ?? 'does not match the input schema';
  return new RequestError(400, `record ${record}: ${path} ${reason}`, { record, path, reason });
}

export class ServedModel {
  readonly wire: WireTypes;
  private readonly validate: ValidateFunction;

  constructor(
    readonly model: Model,
    readonly name: string,
    readonly version: string,
  ) {
    // A fresh ajv per version: compiled schemas are cached per instance and would outlive reloads.
    this.wire = wireTypes(model);
    this.validate = new Ajv({ strict: false, allErrors: false }).compile(avroJsonSchema(this.wire.input));
  }

  /** Validates every record first, then scores them all: a bad request scores nothing. */
  score(records: readonly unknown[]): unknown[] {
    const inputs = records.map((r, i) => {
      const tagged = fromPlainJson(this.wire.input, r);
      if (!this.validate(tagged)) throw invalid(i, this.validate.errors?.at(-1));
      return this.wire.tagged ? tagged : r;
    });
    return inputs.map((x, i) => {
      try {
        return toPlainJson(this.wire.output, this.model.score(x));
      } catch (e) {
        if (e instanceof JsonValueError) throw new RequestError(400, `record ${i}: ${e.message}`, { record: i, path: e.path, reason: e.message });
        if (e instanceof TrajanError && e.code === 'input-mismatch') throw new RequestError(400, `record ${i}: ${e.message}`, { record: i, reason: e.message });
        if (e instanceof TrajanError) throw new RequestError(422, `record ${i}: the model failed: ${e.message}`, { record: i, code: e.code });
        throw e;
      }
    });
  }
}
