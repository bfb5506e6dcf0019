/**
 * The HTTP model server behind `trajan serve`: a fastify app serving a model repository over the
 * KServe v2, TF Serving and SageMaker/MLflow protocols, with each model's JSON Schemas and an
 * OpenAPI document of the routes (openapi.ts), Prometheus metrics, structured (pino)
 * logs, a body size limit, hot reload and a graceful close that lets requests in flight finish.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createRequire } from 'node:module';
import type { ModelLoadOptions } from '../model.js';
import type { ServerContext } from './context.js';
import { invocationRoutes } from './invocations.js';
import { TEXT_CONTENT_TYPES } from '../io/request-body.js';
import { kserveRoutes } from './kserve.js';
import { ServerMetrics } from './metrics.js';
import { schemaRoutes } from './openapi.js';
import { ModelRepository } from './repository.js';
import { checkJsonSize, requestLimits, type RequestLimits } from '../io/request-limits.js';
import { errorAnswer } from '../io/served-model.js';
import { tfServingRoutes } from './tfserving.js';

export interface ServeOptions {
  /** The model repository: `MODEL_DIR/NAME/VERSION/model.{pfa,json,yaml,pmml}`. */
  readonly modelDir: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1; use 0.0.0.0 to accept connections from other machines. */
  readonly host?: string;
  /** How often the repository is checked for changes, in milliseconds (default 1000; 0: never). */
  readonly pollInterval?: number;
  /** Largest request body accepted, in bytes (default 8 MiB); larger ones get 413. */
  readonly bodyLimit?: number;
  /** The model `/invocations` scores when the repository holds several. */
  readonly defaultModel?: string;
  /** fastify's logger option: pino JSON lines on stdout by default, `false` for none. */
  readonly logger?: FastifyServerOptions['logger'];
  /**
   * Options for every model loaded (time, loop and allocation budgets, ...). `timeout` defaults to
   * 1000 ms per call here, so no single record holds the event loop longer than that.
   */
  readonly loadOptions?: ModelLoadOptions;
  /** Bounds on one request: values it carries, nesting, time spent scoring (see limits.ts). */
  readonly limits?: Partial<RequestLimits>;
  /**
   * `/v2/health/ready` only when every model has a version that serves (default false: ready once
   * the repository was read and some model serves; a broken model is unready on its own endpoint).
   */
  readonly strictReadiness?: boolean;
  /**
   * Score each model version in its own worker thread, with this heap limit in MB: a call that
   * runs past the request's deadline is stopped by ending the thread, and one that allocates
   * without bound exhausts only the thread's heap. Off (undefined) by default.
   */
  readonly isolateMemoryMb?: number;
}

/** The time budget of one call of a model when the options give none. */
export const DEFAULT_CALL_TIMEOUT_MS = 1000;

export interface ModelServer {
  readonly app: FastifyInstance;
  readonly repository: ModelRepository;
  /** The address it listens on, `http://host:port`. */
  readonly url: string;
  /** Stops polling, refuses new requests and waits for those in flight. */
  close(): Promise<void>;
}

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

export async function startServer(options: ServeOptions): Promise<ModelServer> {
  const app = Fastify({ logger: options.logger ?? true, bodyLimit: options.bodyLimit ?? 8 * 1024 * 1024, return503OnClosing: true });
  const loadOptions: ModelLoadOptions = { ...options.loadOptions, timeout: options.loadOptions?.timeout ?? DEFAULT_CALL_TIMEOUT_MS };
  const repository = new ModelRepository(options.modelDir, app.log, loadOptions, options.isolateMemoryMb);
  const metrics = new ServerMetrics();
  const limits = requestLimits(options.limits);
  // While closing, readiness fails and answers end their connection, so clients move elsewhere.
  let closing = false;
  const ctx: ServerContext = {
    repository,
    defaultModel: options.defaultModel,
    limits,
    ready: () => !closing && repository.ready(options.strictReadiness ?? false),
  };

  app.decorateRequest('labels', null);
  app.addContentTypeParser(TEXT_CONTENT_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addHook('onResponse', async (req, reply) => {
    if (req.labels) metrics.observe(req.labels, reply.statusCode, reply.elapsedTime / 1000);
  });
  // Before any route walks a parsed JSON body (recursively), its size and depth are checked here, iteratively.
  app.addHook('preHandler', async (req) => {
    if (req.body !== null && typeof req.body === 'object') checkJsonSize(req.body, limits);
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.setErrorHandler(async (error, req, reply) => {
    const answer = errorAnswer(error);
    if (answer) return reply.code(answer.status).send(answer.body);
    req.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler(async (req, reply) => reply.code(404).send({ error: `no route for ${req.method} ${req.url.split('?')[0]}` }));

  kserveRoutes(app, ctx, version);
  tfServingRoutes(app, ctx);
  invocationRoutes(app, ctx);
  schemaRoutes(app, ctx, version);
  app.get('/metrics', async (_req, reply) => reply.type(metrics.contentType).send(await metrics.text()));

  await repository.refresh();
  const interval = options.pollInterval ?? 1000;
  if (interval > 0) repository.watch(interval);
  app.addHook('onClose', async () => repository.close());
  const url = await app.listen({ port: options.port ?? 8080, host: options.host ?? '127.0.0.1' });
  return {
    app,
    repository,
    url,
    close: () => {
      closing = true;
      return app.close();
    },
  };
}
