/**
 * `trajan serve MODEL_DIR [options]`: serves a model repository over HTTP until SIGINT or SIGTERM,
 * then drains requests in flight and exits 0. Exit 2 for usage errors and a missing MODEL_DIR;
 * `--help` and `--version` exit 0. Every model call has a time
 * budget (1 s unless `--timeout` says otherwise), so no request holds the server up for long.
 */
import { statSync } from 'node:fs';
import { DEFAULT_REQUEST_LIMITS } from '../io/request-limits.js';
import { DEFAULT_CALL_TIMEOUT_MS, startServer } from '../serve/server.js';
import { FileProblem, MODEL_OPTIONS, UsageError, modelLoadOptions, wholeNumber, withCommandLine, type Parsed } from './command-line.js';

export const SERVE_USAGE = `usage: trajan serve MODEL_DIR [--port N] [--host HOST] [--poll MS] [--max-body BYTES]
                    [--default-model NAME] [--log-level LEVEL] [--strict-readiness]
                    [--timeout MS] [--max-loop-steps N] [--max-allocation N]
                    [--max-elements N] [--max-depth N] [--request-timeout MS]
                    [--isolate] [--worker-memory MB] [--allow-extra-fields]
                    [--help, -h] [--version]`;

const SERVE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  poll: { type: 'string' },
  'max-body': { type: 'string' },
  'default-model': { type: 'string' },
  'log-level': { type: 'string' },
  'strict-readiness': { type: 'boolean' },
  ...MODEL_OPTIONS,
  'max-elements': { type: 'string' },
  'max-depth': { type: 'string' },
  'request-timeout': { type: 'string' },
  isolate: { type: 'boolean' },
  'worker-memory': { type: 'string' },
} as const;

/** A flag's whole number, or `fallback` when it is not given. */
function count(value: string | undefined, name: string, fallback: number): number {
  return wholeNumber(name, value) ?? fallback;
}

/** The model directory, checked: one that is missing or is a file is named as such. */
function modelDirectory(dir: string): string {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new FileProblem(`model directory ${dir} does not exist`);
  if (!stat.isDirectory()) throw new FileProblem(`model directory ${dir} is not a directory`);
  return dir;
}

/** The server's options from the command line; throws a UsageError for anything wrong with it. */
function serveOptions({ values, positionals }: Parsed<typeof SERVE_OPTIONS>) {
  if (positionals.length === 0) throw new UsageError('missing MODEL_DIR');
  if (positionals.length > 1) throw new UsageError(`expected one MODEL_DIR, got ${positionals.length}`);
  return {
    modelDir: modelDirectory(positionals[0]!),
    port: count(values.port, 'port', 8080),
    host: values.host ?? '127.0.0.1',
    pollInterval: count(values.poll, 'poll', 1000),
    bodyLimit: count(values['max-body'], 'max-body', 8 * 1024 * 1024),
    defaultModel: values['default-model'],
    logger: { level: values['log-level'] ?? 'info' },
    strictReadiness: values['strict-readiness'] ?? false,
    isolateMemoryMb: values.isolate ? count(values['worker-memory'], 'worker-memory', 256) : undefined,
    loadOptions: modelLoadOptions(values, DEFAULT_CALL_TIMEOUT_MS),
    limits: {
      maxElements: count(values['max-elements'], 'max-elements', DEFAULT_REQUEST_LIMITS.maxElements),
      maxDepth: count(values['max-depth'], 'max-depth', DEFAULT_REQUEST_LIMITS.maxDepth),
      requestTimeout: count(values['request-timeout'], 'request-timeout', DEFAULT_REQUEST_LIMITS.requestTimeout),
    },
  };
}

export async function runServe(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  let options: ReturnType<typeof serveOptions> | undefined;
  const status = await withCommandLine('trajan serve', SERVE_USAGE, args, SERVE_OPTIONS, { out, err }, (line) => {
    options = serveOptions(line);
    return 0;
  });
  if (!options || status !== 0) return status;
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
