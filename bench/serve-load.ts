/**
 * Load on `trajan serve`: requests/s and latency percentiles for one model over TF Serving's
 * `:predict`, with the model file replaced on disk halfway through, to show that a hot reload
 * fails no request. `npm run bench:serve -- [--duration S] [--connections N]`; exits 1 if any
 * request failed or the reload was not seen.
 */
import autocannon from 'autocannon';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from '../src/serve/server.js';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '16' } } });
const duration = Number(values.duration);
const connections = Number(values.connections);

const source = readFileSync(fileURLToPath(new URL('../examples/iris-tree.pfa.json', import.meta.url)), 'utf8');
const root = mkdtempSync(join(tmpdir(), 'trajan-load-'));
const file = join(root, 'iris/1/model.pfa');
mkdirSync(join(root, 'iris/1'), { recursive: true });
writeFileSync(file, source);

const server = await startServer({ modelDir: root, port: 0, logger: false, pollInterval: 100 });
const url = `${server.url}/v1/models/iris:predict`;
const body = JSON.stringify({ instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }] });
const firstModel = server.repository.resolve('iris');

// Halfway: replace the document (a different threshold) the way deployments do, write then rename.
const reload = setTimeout(
  () => {
    writeFileSync(`${file}.tmp`, source.replace('"value": 2.45', '"value": 2.5'));
    renameSync(`${file}.tmp`, file);
  },
  (duration * 1000) / 2,
);

const result = await autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration });
clearTimeout(reload);
const reloaded = server.repository.resolve('iris') !== firstModel;
await server.close();
rmSync(root, { recursive: true, force: true });

const failed = result.errors + result.timeouts + result.non2xx;
const report = {
  model: 'iris-tree (PFA)',
  connections,
  seconds: duration,
  requests: result.requests.total,
  requestsPerSecond: Math.round(result.requests.average),
  latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  failed,
  reloaded,
};
console.log(JSON.stringify(report, null, 2));
console.log(
  `${report.requestsPerSecond} requests/s, p99 ${report.latencyMs.p99} ms, ${failed} failed requests, hot reload ${reloaded ? 'done' : 'NOT seen'}`,
);
process.exitCode = failed === 0 && reloaded ? 0 : 1;
