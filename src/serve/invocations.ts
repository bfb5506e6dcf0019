/**
 * The SageMaker container contract (`GET /ping`, `POST /invocations`), which MLflow's scoring
 * server shares (`/ping`, `/health`, `/invocations` with `dataframe_split`, `dataframe_records`,
 * `instances` or `inputs`). The body's Content-Type picks the parser and Accept the answer's format.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { scoreOptions, servedModel, type ServerContext } from './context.js';
import { CONTENT_TYPES, predictionsBody, recordsFromCsv, recordsFromJson, recordsFromJsonLines, responseFormat } from './formats.js';
import { checkJsonSize, DEFAULT_REQUEST_LIMITS, tooManyElements, type RequestLimits } from './limits.js';
import { RequestError, type ServedModel } from './scorer.js';

/** Content types read as text and parsed here rather than by fastify. */
export const TEXT_CONTENT_TYPES = ['text/csv', 'application/jsonlines', 'application/json-lines', 'application/jsonl', 'application/x-ndjson'];

/** SageMaker's multi-model header, then the configured default, then the only model. */
function target(ctx: ServerContext, req: FastifyRequest): string {
  const header = req.headers['x-amzn-sagemaker-target-model'];
  if (typeof header === 'string' && header) return header;
  if (ctx.defaultModel) return ctx.defaultModel;
  const names = ctx.repository.names();
  if (names.length === 1) return names[0]!;
  throw new RequestError(400, names.length ? `several models are served (${names.join(', ')}): choose one with --default-model or the X-Amzn-SageMaker-Target-Model header` : 'no model is loaded');
}

/**
 * The records in a request body. A JSON body's size was checked when it was parsed; records read
 * from text are checked here, before anything walks them.
 */
export function recordsFromBody(served: ServedModel, contentType: string | undefined, body: unknown, limits: RequestLimits = DEFAULT_REQUEST_LIMITS): unknown[] {
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const fromText = type === 'text/csv' || TEXT_CONTENT_TYPES.includes(type);
  const records = type === 'text/csv' ? recordsFromCsv(String(body), served.wire.input) : fromText ? recordsFromJsonLines(String(body)) : recordsFromJson(body, limits.maxElements);
  if (fromText) checkJsonSize(records, limits);
  else if (records.length > limits.maxElements) throw tooManyElements(limits.maxElements);
  return records;
}

export function invocationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const ping = async (req: FastifyRequest, reply: FastifyReply) => {
    let ready: boolean;
    try {
      ready = ctx.repository.resolve(target(ctx, req)) !== undefined;
    } catch {
      ready = ctx.ready();
    }
    return reply.code(ready ? 200 : 503).send(ready ? '\n' : 'not ready\n');
  };
  app.get('/ping', ping);
  app.get('/health', ping);

  app.post('/invocations', async (req, reply) => {
    const options = scoreOptions(ctx);
    const served = servedModel(ctx, req, 'invocations', target(ctx, req));
    const results = await served.score(recordsFromBody(served, req.headers['content-type'], req.body, ctx.limits), options);
    const format = responseFormat(req.headers.accept);
    return reply.type(CONTENT_TYPES[format]).send(predictionsBody(format, served.wire.output, results));
  });
}
