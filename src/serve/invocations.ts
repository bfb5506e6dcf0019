/**
 * The SageMaker container contract (`GET /ping`, `POST /invocations`), which MLflow's scoring
 * server shares (`/ping`, `/health`, `/invocations` with `dataframe_split`, `dataframe_records`,
 * `instances` or `inputs`). The body's Content-Type picks the parser and Accept the answer's format.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { scoreOptions, servedModel, type ServerContext } from './context.js';
import { recordsFromBody } from '../io/request-body.js';
import { CONTENT_TYPES, responseFormat, predictionsBody } from '../io/request-formats.js';
import { RequestError } from '../io/served-model.js';

/** SageMaker's multi-model header, then the configured default, then the only model. */
function target(ctx: ServerContext, req: FastifyRequest): string {
  const header = req.headers['x-amzn-sagemaker-target-model'];
  if (typeof header === 'string' && header) return header;
  if (ctx.defaultModel) return ctx.defaultModel;
  const names = ctx.repository.names();
  if (names.length === 1) return names[0]!;
  throw new RequestError(
    400,
    names.length
      ? `several models are served (${names.join(', ')}): choose one with --default-model or the X-Amzn-SageMaker-Target-Model header`
      : 'no model is loaded',
  );
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
