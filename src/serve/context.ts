/**
 * What every protocol's routes share: the repository, and the lookup that turns a model name and
 * optional version from a URL into the model that serves it (recording the metric labels).
 */
import type { FastifyRequest } from 'fastify';
import type { RequestLimits } from '../io/request-limits.js';
import type { Labels, Protocol } from './metrics.js';
import type { ModelRepository } from './repository.js';
import { RequestError, type ServedModel } from '../io/served-model.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once a scoring request has found its model; read when the response is sent. */
    labels: Labels | null;
  }
}

export interface ServerContext {
  readonly repository: ModelRepository;
  /** The model `/invocations` scores when the repository holds several. */
  readonly defaultModel?: string;
  readonly limits: RequestLimits;
  /** Server readiness: the repository was read, the server is not closing, and models serve. */
  readonly ready: () => boolean;
}

/** Scoring options for a request that starts now: its deadline. */
export function scoreOptions(ctx: ServerContext): { deadline: number } {
  return { deadline: Date.now() + ctx.limits.requestTimeout };
}

/** The model serving `name` (at `version`, or its newest); 404 when there is none. */
export function servedModel(ctx: ServerContext, request: FastifyRequest, protocol: Protocol, name: string, version?: string): ServedModel {
  const served = ctx.repository.resolve(name, version);
  if (!served) {
    const known = ctx.repository.versions(name);
    const what = version === undefined ? `model ${name}` : `version ${version} of model ${name}`;
    throw new RequestError(404, known ? `${what} is not available` : `unknown model ${name}`);
  }
  request.labels = { model: served.name, version: served.version, protocol };
  return served;
}
