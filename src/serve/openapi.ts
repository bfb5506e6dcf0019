/**
 * What the server says about itself: `GET /v1/models/NAME[/versions/V]/schema` answers a model's
 * JSON Schemas (`model.jsonSchema()`: one plain input record, one plain result), and
 * `GET /openapi.json` an OpenAPI 3.1 document of every route. The document is made per request,
 * from the models serving then: each model's schemas are components, and the routes that take
 * and give plain records (`:predict` per model, `/invocations` for the default model) refer to
 * them. Each component keeps its own `$defs`, so it carries an `$id` that makes its `#/$defs/...`
 * references resolve inside it rather than at the document's root.
 */
import type { FastifyInstance } from 'fastify';
import { servedModel, type ServerContext } from './context.js';

interface ModelParams {
  name: string;
  version?: string;
}

/** The model and the version the schema route answers for, beside the schemas. */
function schemaAnswer(name: string, version: string, schemas: { input: unknown; output: unknown }) {
  return { name, version, input: schemas.input, output: schemas.output };
}

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const text = (mediaType: string) => ({ content: { [mediaType]: { schema: { type: 'string' } } } });

/** A served model's name and schemas, as the document lists them. */
export interface DocumentedModel {
  readonly name: string;
  readonly schemas: { readonly input: Record<string, unknown>; readonly output: Record<string, unknown> };
}

/** A component name OpenAPI accepts (letters, digits, `.`, `-`, `_`) for a model's name. */
const componentName = (name: string, side: 'input' | 'output'): string => `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.${side}`;
const ref = (name: string, side: 'input' | 'output') => ({ $ref: `#/components/schemas/${componentName(name, side)}` });

/** Any record: what a route for a model not known in advance takes. */
const ANY_RECORD = { type: 'object' };

const ERROR = { type: 'object', required: ['error'], properties: { error: { type: 'string' }, code: { type: ['string', 'integer'] } } };

const NAME = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
const VERSION = { name: 'version', in: 'path', required: true, schema: { type: 'string' } };

/** The OpenAPI 3.1 document of the server's routes. */
export function openApiDocument(serverVersion: string, models: readonly DocumentedModel[], defaultModel?: string): Record<string, unknown> {
  const errors = {
    '400': { description: 'a bad request', ...json({ $ref: '#/components/schemas/Error' }) },
    '404': { description: 'no such model', ...json({ $ref: '#/components/schemas/Error' }) },
    '422': { description: 'the model failed', ...json({ $ref: '#/components/schemas/Error' }) },
  };
  const get = (summary: string, schema: unknown, parameters: unknown[] = []) => ({
    get: { summary, parameters, responses: { '200': { description: 'OK', ...json(schema) } } },
  });
  const versioned = (path: string, item: (params: unknown[]) => Record<string, unknown>): Record<string, unknown> => ({
    [`/v1/models/{name}${path}`]: item([NAME]),
    [`/v1/models/{name}/versions/{version}${path}`]: item([NAME, VERSION]),
  });
  const v2 = (path: string, item: (params: unknown[]) => Record<string, unknown>): Record<string, unknown> => ({
    [`/v2/models/{name}${path}`]: item([NAME]),
    [`/v2/models/{name}/versions/{version}${path}`]: item([NAME, VERSION]),
  });
  const predict = (parameters: unknown[], INPUT_REF: unknown = ANY_RECORD, OUTPUT_REF: unknown = {}) => ({
    post: {
      summary: 'TF Serving predict, row format (instances) or columnar (inputs); the path ends in :predict',
      parameters,
      requestBody: {
        required: true,
        ...json({
          anyOf: [
            { type: 'object', required: ['instances'], properties: { instances: { type: 'array', items: INPUT_REF } } },
            { type: 'object', required: ['inputs'], properties: { inputs: { type: 'object' } } },
          ],
        }),
      },
      responses: {
        '200': {
          description: 'one result per instance',
          ...json({ type: 'object', properties: { predictions: { type: 'array', items: OUTPUT_REF }, outputs: {} } }),
        },
        ...errors,
      },
    },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Trajan model server',
      version: serverVersion,
      description:
        "Scores the PFA and PMML models of a model repository. Each model's records are described by its JSON Schemas at /v1/models/{name}/schema.",
    },
    paths: {
      '/openapi.json': get('this document', { type: 'object' }),
      ...versioned('/schema', (p) =>
        get(
          'JSON Schemas (draft 2020-12) of one plain input record and one plain result',
          { $ref: '#/components/schemas/ModelSchemas' },
          p,
        ),
      ),
      ...versioned('', (p) =>
        get('TF Serving model status', { type: 'object', properties: { model_version_status: { type: 'array' } } }, p),
      ),
      ...versioned('/metadata', (p) => get('TF Serving signature and the Avro schemas', { type: 'object' }, p)),
      '/v1/models/{name}:predict': predict([NAME]),
      '/v1/models/{name}/versions/{version}:predict': predict([NAME, VERSION]),
      ...Object.fromEntries(models.map((m) => [`/v1/models/${m.name}:predict`, predict([], ref(m.name, 'input'), ref(m.name, 'output'))])),
      '/v2/health/live': get('liveness', { type: 'object', properties: { live: { type: 'boolean' } } }),
      '/v2/health/ready': get('readiness (503 when not ready)', { type: 'object', properties: { ready: { type: 'boolean' } } }),
      '/v2': get('server metadata', {
        type: 'object',
        properties: { name: { type: 'string' }, version: { type: 'string' }, extensions: { type: 'array' } },
      }),
      ...v2('', (p) => get('KServe v2 model metadata: input and output tensors', { type: 'object' }, p)),
      ...v2('/ready', (p) =>
        get(
          'model readiness (503 when not ready)',
          { type: 'object', properties: { name: { type: 'string' }, ready: { type: 'boolean' } } },
          p,
        ),
      ),
      ...v2('/infer', (p) => ({
        post: {
          summary: 'KServe v2 inference: one tensor per input field',
          parameters: p,
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['inputs'],
              properties: { id: { type: 'string' }, inputs: { type: 'array' }, outputs: { type: 'array' } },
            }),
          },
          responses: {
            '200': {
              description: 'one tensor per output field',
              ...json({
                type: 'object',
                properties: { model_name: { type: 'string' }, model_version: { type: 'string' }, outputs: { type: 'array' } },
              }),
            },
            ...errors,
          },
        },
      })),
      '/ping': get('health (SageMaker)', {}),
      '/health': get('health (MLflow)', {}),
      '/invocations': invocations(
        errors,
        defaultModel === undefined ? undefined : ref(defaultModel, 'input'),
        defaultModel === undefined ? undefined : ref(defaultModel, 'output'),
      ),
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'OK', ...text('text/plain') } } } },
    },
    components: {
      schemas: {
        Error: ERROR,
        ModelSchemas: {
          type: 'object',
          required: ['name', 'version', 'input', 'output'],
          properties: { name: { type: 'string' }, version: { type: 'string' }, input: { type: 'object' }, output: { type: 'object' } },
        },
        ...Object.fromEntries(
          models.flatMap((m) =>
            (['input', 'output'] as const).map((side) => [
              componentName(m.name, side),
              { $id: `urn:trajan:model:${encodeURIComponent(m.name)}:${side}`, ...m.schemas[side] },
            ]),
          ),
        ),
      },
    },
  };
}

/** `/invocations`: records of the default model when there is one, else any records. */
function invocations(errors: Record<string, unknown>, input: unknown = ANY_RECORD, output: unknown = {}) {
  return {
    post: {
      summary: 'scores the default model: JSON records (a record, an array, or pandas-style splits), JSON Lines or CSV',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              anyOf: [
                input,
                { type: 'array', items: input },
                { type: 'object', required: ['dataframe_split'] },
                { type: 'object', required: ['instances'] },
              ],
            },
          },
          ...text('application/jsonlines').content,
          ...text('text/csv').content,
        },
      },
      responses: {
        '200': {
          description: "the results, in the request's format",
          content: {
            'application/json': { schema: { type: 'object', properties: { predictions: { type: 'array', items: output } } } },
            ...text('application/jsonlines').content,
            ...text('text/csv').content,
          },
        },
        ...errors,
      },
    },
  };
}

export function schemaRoutes(app: FastifyInstance, ctx: ServerContext, serverVersion: string): void {
  for (const prefix of ['/v1/models/:name', '/v1/models/:name/versions/:version']) {
    app.get<{ Params: ModelParams }>(`${prefix}/schema`, async (req) => {
      const served = servedModel(ctx, req, 'tfserving', req.params.name, req.params.version);
      return schemaAnswer(served.name, served.version, served.model.jsonSchema());
    });
  }
  app.get('/openapi.json', async () => {
    const models: DocumentedModel[] = [];
    for (const name of ctx.repository.names()) {
      const served = ctx.repository.resolve(name);
      if (served) models.push({ name, schemas: served.model.jsonSchema() });
    }
    const only = ctx.repository.names();
    const defaultModel = ctx.defaultModel ?? (only.length === 1 ? only[0] : undefined);
    return openApiDocument(serverVersion, models, models.some((m) => m.name === defaultModel) ? defaultModel : undefined);
  });
}
