/**
 * `trajan serve MODEL_DIR [options]`: serves a model repository over HTTP until SIGINT or SIGTERM,
 * then drains requests in flight and exits 0. Exit 2 for usage errors. Every model call has a time
 * budget (1 s unless `--timeout` says otherwise), so no request holds the server up for long.
 */
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_REQUEST_LIMITS } from '../serve/limits.js';
import { DEFAULT_CALL_TIMEOUT_MS, startServer } from '../serve/server.js';

export const SERVE_USAGE = `usage: trajan serve MODEL_DIR [--port N] [--host HOST] [--poll MS] [--max-body BYTES]
                    [--default-model NAME] [--log-level LEVEL] [--strict-readiness]
                    [--timeout MS] [--max-loop-steps N] [--max-allocation N]
                    [--max-elements N] [--max-depth N] [--request-timeout MS]
                    [--isolate] [--worker-memory MB] [--allow-extra-fields]`;

function count(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${value}`);
  return n;
}

export async function runServe(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let options;
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        poll: { type: 'string' },
        'max-body': { type: 'string' },
        'default-model': { type: 'string' },
        'log-level': { type: 'string' },
        'strict-readiness': { type: 'boolean' },
        timeout: { type: 'string' },
        'max-loop-steps': { type: 'string' },
        'max-allocation': { type: 'string' },
        'max-elements': { type: 'string' },
        'max-depth': { type: 'string' },
        'request-timeout': { type: 'string' },
        isolate: { type: 'boolean' },
        'worker-memory': { type: 'string' },
        'allow-extra-fields': { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new Error('expected one MODEL_DIR');
    const modelDir = positionals[0]!;
    if (!statSync(modelDir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${modelDir} is not a directory`);
    options = {
      modelDir,
      port: count(values.port, 'port', 8080),
      host: values.host ?? '127.0.0.1',
      pollInterval: count(values.poll, 'poll', 1000),
      bodyLimit: count(values['max-body'], 'max-body', 8 * 1024 * 1024),
      defaultModel: values['default-model'],
      logger: { level: values['log-level'] ?? 'info' },
      strictReadiness: values['strict-readiness'] ?? false,
      isolateMemoryMb: values.isolate ? count(values['worker-memory'], 'worker-memory', 256) : undefined,
      loadOptions: {
        timeout: count(values.timeout, 'timeout', DEFAULT_CALL_TIMEOUT_MS),
        ...(values['max-loop-steps'] !== undefined ? { maxLoopSteps: count(values['max-loop-steps'], 'max-loop-steps', 0) } : {}),
        ...(values['max-allocation'] !== undefined ? { maxAllocation: count(values['max-allocation'], 'max-allocation', 0) } : {}),
        ...(values['allow-extra-fields'] ? { allowExtraFields: true } : {}),
      },
      limits: {
        maxElements: count(values['max-elements'], 'max-elements', DEFAULT_REQUEST_LIMITS.maxElements),
        maxDepth: count(values['max-depth'], 'max-depth', DEFAULT_REQUEST_LIMITS.maxDepth),
        requestTimeout: count(values['request-timeout'], 'request-timeout', DEFAULT_REQUEST_LIMITS.requestTimeout),
      },
    };
  } catch (e) {
    err(`${(e as Error).message}\n${SERVE_USAGE}`);
    return 2;
  }
  const server = await startServer(options);
  out(`serving ${server.repository.names().join(', ') || 'no models yet'} from ${options.modelDir} at ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      server.app.log.info({ signal }, 'shutting down: draining requests in flight');
      void server.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
