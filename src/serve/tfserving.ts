/**
 * TensorFlow Serving's REST API: model status, metadata, and `:predict` in the row format
 * (`instances` → `predictions`) or the columnar format (`inputs` → `outputs`).
 * https://www.tensorflow.org/tfx/serving/api_rest
 */
import type { FastifyInstance } from 'fastify';
import { stringifyJson } from '../avro/json.js';
import { toSchemaJson } from '../avro/schema.js';
import type { AvroType } from '../avro/types.js';
import { isRecordValue } from '../avro/values.js';
import { scoreOptions, servedModel, type ServerContext } from './context.js';
import { columnsToRecords, recordsToColumns } from '../io/request-formats.js';
import type { VersionState } from './repository.js';
import { RequestError } from '../io/served-model.js';
import { tensorSpecs } from './tensors.js';

interface ModelParams {
  name: string;
  version?: string;
}

const DTYPES: Record<string, string> = {
  BOOL: 'DT_BOOL',
  INT32: 'DT_INT32',
  INT64: 'DT_INT64',
  FP32: 'DT_FLOAT',
  FP64: 'DT_DOUBLE',
  BYTES: 'DT_STRING',
};

function status(v: VersionState) {
  return {
    version: v.version,
    state: v.served ? 'AVAILABLE' : 'END',
    status: { error_code: v.error ? 'INVALID_ARGUMENT' : 'OK', error_message: v.error ?? '' },
  };
}

function signatureTensors(t: AvroType, name: string) {
  return Object.fromEntries(
    tensorSpecs(t, name).map((s) => [
      s.name,
      { name: s.name, dtype: DTYPES[s.datatype], tensor_shape: { dim: s.shape.map((d) => ({ size: String(d) })) } },
    ]),
  );
}

/** `NAME`, `NAME/versions/V`, then `:predict`: one path segment holds a colon, so it is parsed here. */
const PREDICT = /^([^/:]+)(?:\/versions\/(\d+))?:predict$/;

export function tfServingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  for (const prefix of ['/v1/models/:name', '/v1/models/:name/versions/:version']) {
    app.get<{ Params: ModelParams }>(prefix, async (req) => {
      const versions = ctx.repository.versions(req.params.name);
      const wanted = versions?.filter((v) => req.params.version === undefined || v.version === req.params.version);
      if (!wanted?.length)
        throw new RequestError(404, `unknown model ${req.params.name}${req.params.version ? ` version ${req.params.version}` : ''}`);
      return { model_version_status: wanted.map(status) };
    });
    app.get<{ Params: ModelParams }>(`${prefix}/metadata`, async (req) => {
      const served = servedModel(ctx, req, 'tfserving', req.params.name, req.params.version);
      const { input: inputType, output: outputType } = served.wire;
      return {
        model_spec: { name: served.name, signature_name: '', version: served.version },
        metadata: {
          signature_def: {
            signature_def: {
              serving_default: {
                inputs: signatureTensors(inputType, 'input'),
                outputs: signatureTensors(outputType, 'output'),
                method_name: 'tensorflow/serving/predict',
              },
            },
          },
          avro_schema: { input: toSchemaJson(inputType), output: toSchemaJson(outputType) },
        },
      };
    });
  }

  app.post<{ Params: { '*': string } }>('/v1/models/*', async (req, reply) => {
    const options = scoreOptions(ctx);
    const m = PREDICT.exec(req.params['*']);
    if (!m) throw new RequestError(404, `no such endpoint; use /v1/models/NAME[/versions/V]:predict`);
    const served = servedModel(ctx, req, 'tfserving', m[1]!, m[2]);
    const body = req.body;
    if (!isRecordValue(body) || 'instances' in body === 'inputs' in body)
      throw new RequestError(400, 'the request must have exactly one of "instances" and "inputs"');
    const { output: outputType } = served.wire;
    let answer: unknown;
    if ('instances' in body) {
      if (!Array.isArray(body.instances)) throw new RequestError(400, '"instances" must be an array');
      answer = { predictions: await served.score(body.instances, options) };
    } else {
      const records = isRecordValue(body.inputs) ? columnsToRecords(body.inputs) : Array.isArray(body.inputs) ? body.inputs : [body.inputs];
      answer = { outputs: recordsToColumns(outputType, await served.score(records, options)) };
    }
    return reply.type('application/json').send(stringifyJson(answer));
  });
}
