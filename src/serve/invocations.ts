/**
 * The SageMaker container contract (`GET /ping`, `POST /invocations`), which MLflow's scoring
 * server shares (`/ping`, `/health`, `/invocations` with `dataframe_split`, `dataframe_records`,
 * `instances` or `inputs`). The body's Content-Type picks the parser and Accept the answer's format.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { servedModel, type ServerContext } from './context.js';
import { CONTENT_TYPES, predictionsBody, recordsFromCsv, recordsFromJson, recordsFromJsonLines, responseFormat } from './formats.js';
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

export function recordsFromBody(served: ServedModel, contentType: string | undefined, body: unknown): unknown[] {
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return recordsFromCsv(String(body), served.wire.input);
  if (TEXT_CONTENT_TYPES.includes(type)) return recordsFromJsonLines(String(body));
  return recordsFromJson(body);
}

export function invocationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const ping = async (req: FastifyRequest, reply: FastifyReply) => {
    let ready: boolean;
    try {
      ready = ctx.repository.resolve(target(ctx, req)) !== undefined;
    } catch {
      ready = ctx.repository.ready();
    }
    return reply.code(ready ? 200 : 503).send(ready ? '\n' : 'not ready\n');
  };
  app.get('/ping', ping);
  app.get('/health', ping);

  app.post('/invocations', async (req, reply) => {
    const served = servedModel(ctx, req, 'invocations', target(ctx, req));
    const results = served.score(recordsFromBody(served, req.headers['content-type'], req.body));
    const format = responseFormat(req.headers.accept);
    return reply.type(CONTENT_TYPES[format]).send(predictionsBody(format, served.wire.output, results));
  });
}
