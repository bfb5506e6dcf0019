/**
 * `trajan/serve`: the server (server.ts), loaded through a dynamic import so that a missing
 * optional package (fastify, prom-client, piscina, ...) is reported as a `missing-dependency`
 * error naming it, not as Node's module-not-found error (optional-package.ts).
 */
import { importNeeding } from '../optional-package.js';

const server = await importNeeding(() => import('./server.js'), 'trajan/serve');

export const startServer = server.startServer;
export const DEFAULT_CALL_TIMEOUT_MS = server.DEFAULT_CALL_TIMEOUT_MS;
export type { ServeOptions, ModelServer } from './server.js';
