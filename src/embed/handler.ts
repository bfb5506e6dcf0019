/**
 * `createHandler(model)`: one model behind an HTTP request handler that needs no framework.
 * `handler(req, res)` takes Node's request and response, so it plugs into `http.createServer`,
 * Express (`app.post('/score', handler)`) and Fastify (through `reply.raw`); `handler.handle` is the
 * same logic on plain objects, for anything else. POST scores the body, in the formats of
 * `/invocations` (docs/serving.md); GET describes the model.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringifyJson } from '../avro/json.js';
import { toSchemaJson } from '../avro/schema.js';
import type { Model } from '../model.js';
import { checkJsonSize, requestLimits, type RequestLimits } from '../io/request-limits.js';
import { errorAnswer, RequestError, ServedModel } from '../io/served-model.js';
import { importNeeding } from '../optional-package.js';

/**
 * The request and response formats (CSV, JSON lines) bring csv-parse and csv-stringify: 50-65 ms
 * and 2-3 MB of RSS that `import('trajan')` paid for every user, handler or not. They load when a
 * handler is created, without holding up `createHandler`, and its first request awaits them.
 */
type Formats = typeof import('../io/request-formats.js') & typeof import('../io/request-body.js');
let formats: Promise<Formats> | undefined;

function loadFormats(): Promise<Formats> {
  if (!formats) {
    // csv-parse and csv-stringify are optional dependencies: without them, a missing-dependency error.
    formats = importNeeding(() => Promise.all([import('../io/request-formats.js'), import('../io/request-body.js')]), 'createHandler').then(
      ([f, i]) => ({ ...f, ...i }),
    );
    // Awaited by the first request, which answers a failure; not an unhandled rejection before it.
    formats.catch(() => {});
  }
  return formats;
}

export interface HandlerOptions {
  /** Largest request body read, in bytes (default 8 MiB); larger ones get 413. */
  readonly maxBodyBytes?: number;
  /** Reported in GET responses (default: the model's name, version "1"). */
  readonly name?: string;
  readonly version?: string;
  /** Bounds on one request (values, nesting, time spent scoring), as for `trajan serve`. */
  readonly limits?: Partial<RequestLimits>;
}

export interface HandlerRequest {
  readonly method?: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Text or bytes as received, or a value a framework already parsed from JSON. */
  readonly body?: unknown;
}

export interface HandlerResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface ScoringHandler {
  (req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void>;
  handle(req: HandlerRequest): Promise<HandlerResponse>;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function header(req: HandlerRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parsedBody(req: HandlerRequest): unknown {
  const body = req.body instanceof Uint8Array ? Buffer.from(req.body).toString('utf8') : req.body;
  const type = header(req, 'content-type') ?? 'application/json';
  if (typeof body !== 'string' || !/json/i.test(type) || /lines|ndjson|jsonl/i.test(type)) return body;
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new RequestError(400, `malformed JSON: ${(e as Error).message}`);
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new RequestError(413, `the request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createHandler(model: Model, options: HandlerOptions = {}): ScoringHandler {
  const served = new ServedModel(model, options.name ?? model.name, options.version ?? '1');
  const limit = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const limits = requestLimits(options.limits);
  const loading = loadFormats();
  const description = stringifyJson({
    name: served.name,
    version: served.version,
    format: model.format,
    input: toSchemaJson(served.wire.input),
    output: toSchemaJson(served.wire.output),
  });

  async function handle(req: HandlerRequest): Promise<HandlerResponse> {
    try {
      const method = (req.method ?? 'POST').toUpperCase();
      if (method === 'GET') return { status: 200, headers: JSON_HEADERS, body: description };
      if (method !== 'POST')
        return {
          status: 405,
          headers: { ...JSON_HEADERS, allow: 'GET, POST' },
          body: stringifyJson({ error: `method ${method} not allowed` }),
        };
      const deadline = Date.now() + limits.requestTimeout;
      const body = parsedBody(req);
      if (body !== null && typeof body === 'object') checkJsonSize(body, limits);
      const { CONTENT_TYPES, predictionsBody, recordsFromBody, responseFormat } = await loading;
      const results = await served.score(recordsFromBody(served, header(req, 'content-type'), body, limits), { deadline });
      const format = responseFormat(header(req, 'accept'));
      return {
        status: 200,
        headers: { 'content-type': CONTENT_TYPES[format] },
        body: predictionsBody(format, served.wire.output, results),
      };
    } catch (e) {
      const answer = errorAnswer(e);
      if (answer) return { status: answer.status, headers: JSON_HEADERS, body: stringifyJson(answer.body) };
      return { status: 500, headers: JSON_HEADERS, body: stringifyJson({ error: 'internal error' }) };
    }
  }

  const handler = async (req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void> => {
    let answer: HandlerResponse;
    try {
      // Express and Fastify may have read and parsed the body already.
      const body = req.body !== undefined ? req.body : req.method === 'POST' ? await readBody(req, limit) : undefined;
      answer = await handle({ method: req.method, headers: req.headers, body });
    } catch (e) {
      const known = errorAnswer(e);
      answer = {
        status: known?.status ?? 400,
        headers: JSON_HEADERS,
        body: stringifyJson(known?.body ?? { error: (e as Error).message, code: 'bad-request' }),
      };
    }
    res.writeHead(answer.status, answer.headers).end(answer.body);
  };
  return Object.assign(handler, { handle });
}
