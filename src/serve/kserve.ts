/**
 * KServe v2 / Open Inference Protocol, REST: health, server and model metadata, readiness, infer.
 * https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/
 */
import type { FastifyInstance } from 'fastify';
import { stringifyJson } from '../avro/json.js';
import { isRecordValue } from '../avro/values.js';
import { scoreOptions, servedModel, type ServerContext } from './context.js';
import { RequestError, type ServedModel } from '../io/served-model.js';
import { recordsToTensors, tensorSpecs, tensorsToRecords } from './tensors.js';

interface ModelParams {
  name: string;
  version?: string;
}

function metadata(served: ServedModel, versions: string[]) {
  return {
    name: served.name,
    versions,
    platform: `trajan_${served.model.format}`,
    inputs: tensorSpecs(served.wire.input, 'input'),
    outputs: tensorSpecs(served.wire.output, 'output'),
  };
}

export function kserveRoutes(app: FastifyInstance, ctx: ServerContext, serverVersion: string): void {
  app.get('/v2/health/live', async () => ({ live: true }));
  app.get('/v2/health/ready', async (_req, reply) => {
    const ready = ctx.ready();
    return reply.code(ready ? 200 : 503).send({ ready });
  });
  app.get('/v2', async () => ({ name: 'trajan', version: serverVersion, extensions: [] }));

  for (const prefix of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
    app.get<{ Params: ModelParams }>(prefix, async (req) => {
      const served = servedModel(ctx, req, 'kserve', req.params.name, req.params.version);
      const versions = (ctx.repository.versions(served.name) ?? []).filter((v) => v.served).map((v) => v.version);
      return metadata(served, versions);
    });
    app.get<{ Params: ModelParams }>(`${prefix}/ready`, async (req, reply) => {
      const ready = ctx.repository.resolve(req.params.name, req.params.version) !== undefined;
      return reply.code(ready ? 200 : 503).send({ name: req.params.name, ready });
    });
    app.post<{ Params: ModelParams }>(`${prefix}/infer`, async (req, reply) => {
      const options = scoreOptions(ctx);
      const served = servedModel(ctx, req, 'kserve', req.params.name, req.params.version);
      const body = req.body;
      if (!isRecordValue(body)) throw new RequestError(400, 'the request body must be a JSON object with inputs', { code: 'bad-tensor' });
      const results = await served.score(tensorsToRecords(served.wire.input, body.inputs, ctx.limits.maxElements), options);
      let outputs = recordsToTensors(served.wire.output, results, 'output');
      if (Array.isArray(body.outputs)) {
        const wanted = new Set(body.outputs.map((o) => (isRecordValue(o) ? o.name : undefined)));
        outputs = outputs.filter((o) => wanted.has(o.name));
      }
      return reply.type('application/json').send(
        stringifyJson({
          model_name: served.name,
          model_version: served.version,
          ...(typeof body.id === 'string' ? { id: body.id } : {}),
          outputs,
        }),
      );
    });
  }
}
