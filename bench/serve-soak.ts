/**
 * Soak and hostile-request probes for `trajan serve`, loopback only, every loop bounded in time.
 *
 * `npm run bench:soak -- [--seconds S] [--connections N]`: a server (in a child process, so its
 * memory and event loop are measured apart from the load) under concurrent good requests over the
 * three protocols, with one model rewritten by rename every second and hostile requests mixed in.
 * Every good answer's value is checked; lost or wrong good answers, hostile answers by status, the
 * server's peak RSS and its largest event-loop delay are reported. Exits 1 if any good request was
 * lost or wrong, or the server died.
 *
 * `npm run bench:soak -- --probe [--seconds S]`: each hostile request class alone against a fresh
 * server, reporting its status, time, the server's peak RSS, its largest event-loop delay and the
 * slowest liveness check sent meanwhile.
 *
 * `--isolate MB` runs either with the server scoring in worker threads (`trajan serve --isolate`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SELF = fileURLToPath(import.meta.url);
/** `--isolate MB`: the server scores each model version in a worker thread with this heap limit. */
let isolate: string | undefined;

// ---- Models, written at run time -----------------------------------------------------------------

const ADD = (tag: number) =>
  JSON.stringify({
    name: 'add',
    metadata: { revision: String(tag) },
    input: {
      type: 'record',
      name: 'In',
      fields: [
        { name: 'x', type: 'double' },
        { name: 'y', type: 'double' },
      ],
    },
    output: 'double',
    action: [{ '+': ['input.x', 'input.y'] }],
  });
const MODELS: Record<string, string> = {
  add: ADD(0),
  vec: JSON.stringify({ name: 'vec', input: { type: 'array', items: 'double' }, output: 'double', action: [{ 'a.sum': ['input'] }] }),
  perm: JSON.stringify({
    name: 'perm',
    input: { type: 'array', items: 'int' },
    output: 'int',
    action: [{ 'a.len': [{ 'a.permutations': ['input'] }] }],
  }),
  // Appending to an ever longer array: quadratic work in few loop steps.
  grow: JSON.stringify({
    name: 'grow',
    input: 'int',
    output: 'int',
    action: [
      { let: { xs: { type: { type: 'array', items: 'int' }, value: [] }, i: 0 } },
      { while: { '<': ['i', 'input'] }, do: [{ set: { xs: { 'a.append': ['xs', 'i'] }, i: { '+': ['i', 1] } } }] },
      { 'a.len': ['xs'] },
    ],
  }),
  // Costly steps that allocate nothing: only the time budget stops it.
  sines: JSON.stringify({
    name: 'sines',
    input: 'int',
    output: 'double',
    action: [
      { let: { i: 0, acc: { double: 0 } } },
      {
        while: { '<': ['i', 'input'] },
        do: [
          {
            set: {
              acc: Array.from({ length: 64 }, (_, k) => k).reduce<unknown>(
                (sum, k) => ({ '+': [sum, { 'm.sin': [{ '+': ['i', k] }] }] }),
                'acc',
              ),
              i: { '+': ['i', 1] },
            },
          },
        ],
      },
      'acc',
    ],
  }),
};

function writeRepository(): string {
  const root = mkdtempSync(join(tmpdir(), 'trajan-soak-'));
  for (const [name, text] of Object.entries(MODELS)) {
    mkdirSync(join(root, name, '1'), { recursive: true });
    writeFileSync(join(root, name, '1', 'model.pfa'), text);
  }
  return root;
}

// ---- Requests ------------------------------------------------------------------------------------

interface Req {
  readonly path: string;
  readonly body: string;
  readonly type?: string;
  readonly headers?: Record<string, string>;
}

function nested(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** Hostile requests by class; each is one request a client could send. */
const HOSTILE: Record<string, () => Req> = {
  'kserve-huge-shape': () => ({
    path: '/v2/models/vec/infer',
    body: '{"inputs":[{"name":"v","shape":[1e8,0],"datatype":"FP64","data":[]}]}',
  }),
  'kserve-wrong-datatype': () => ({
    path: '/v2/models/add/infer',
    body: JSON.stringify({
      inputs: [
        { name: 'x', shape: [1], datatype: 'INT32', data: [1.5] },
        { name: 'y', shape: [1], datatype: 'BOOL', data: [2.5] },
      ],
    }),
  }),
  'mlflow-7mb-split': () => {
    const rows: string[] = [];
    let size = 0;
    for (let i = 0; size < 7_000_000; i++) {
      const row = `[${i},${i}]`;
      rows.push(row);
      size += row.length + 1;
    }
    return {
      path: '/invocations',
      body: `{"dataframe_split":{"columns":["x","y"],"data":[${rows.join(',')}]}}`,
      type: 'application/json',
      headers: { 'x-amzn-sagemaker-target-model': 'add' },
    };
  },
  'deep-nesting': () => ({ path: '/v1/models/vec:predict', body: `{"instances":${nested(100_000)}}` }),
  'deep-tensor-data': () => ({
    path: '/v2/models/vec/infer',
    body: `{"inputs":[{"name":"v","shape":[1,1],"datatype":"FP64","data":${nested(100_000)}}]}`,
  }),
  'proto-keys': () => ({
    path: '/v1/models/add:predict',
    body: '{"instances":[{"x":1,"y":2,"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}]}',
  }),
  permutations: () => ({ path: '/v1/models/perm:predict', body: JSON.stringify({ instances: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]] }) }),
  'quadratic-while': () => ({ path: '/v1/models/grow:predict', body: JSON.stringify({ instances: [300_000] }) }),
  'slow-loop': () => ({ path: '/v1/models/sines:predict', body: JSON.stringify({ instances: [5_000_000] }) }),
};

// ---- The server child ----------------------------------------------------------------------------

interface ChildStats {
  readonly rssPeakMb: number;
  readonly loopDelayMaxMs: number;
  readonly loopDelayP99Ms: number;
}

async function serveChild(root: string, isolateMemoryMb: number | undefined): Promise<void> {
  const { startServer } = await import('../src/serve/server.js');
  const server = await startServer({ modelDir: root, port: 0, logger: false, pollInterval: 200, isolateMemoryMb });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
  process.send!({ url: server.url });
  process.on('message', (m: { stats?: boolean; stop?: boolean }) => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    if (m.stats) {
      const stats: ChildStats = {
        rssPeakMb: Math.round(rssPeak / 2 ** 20),
        loopDelayMaxMs: Math.round(delay.max / 1e6),
        loopDelayP99Ms: Math.round(delay.percentile(99) / 1e6),
      };
      process.send!({ stats });
    }
    if (m.stop) {
      clearInterval(sampler);
      void server.close().then(() => process.exit(0));
    }
  });
}

async function startChild(
  root: string,
): Promise<{ child: ChildProcess; url: string; stats: () => Promise<ChildStats | undefined>; stop: () => Promise<void> }> {
  const child = fork(SELF, ['--serve-child', root, ...(isolate ? ['--isolate', isolate] : [])], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=2048'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const [first] = (await once(child, 'message')) as [{ url: string }];
  const stats = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return undefined;
    child.send({ stats: true });
    // A server whose event loop is stuck does not answer: give up after 30 s.
    const giveUp = new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000).unref());
    const answer = await Promise.race([
      once(child, 'message') as Promise<[{ stats: ChildStats }]>,
      once(child, 'exit').then(() => undefined),
      giveUp,
    ]);
    return answer?.[0].stats;
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.send({ stop: true });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await once(child, 'exit');
    clearTimeout(timer);
  };
  return { child, url: first.url, stats, stop };
}

async function send(url: string, r: Req, timeoutMs: number): Promise<{ status: number; text: string }> {
  const res = await fetch(url + r.path, {
    method: 'POST',
    headers: { 'content-type': r.type ?? 'application/json', ...r.headers },
    body: r.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, text: await res.text() };
}

// ---- Probe: one hostile class at a time ---------------------------------------------------------

async function probe(seconds: number, only: string | undefined): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  for (const [name, make] of Object.entries(HOSTILE)) {
    if (only && !only.split(',').includes(name)) continue;
    const root = writeRepository();
    const server = await startChild(root);
    const request = make();
    // Liveness checks every 100 ms while the hostile request runs: the slowest one is how long others wait.
    let healthMax = 0;
    let probing = true;
    const health = (async () => {
      while (probing) {
        const t0 = performance.now();
        try {
          await fetch(`${server.url}/v2/health/live`, { signal: AbortSignal.timeout(seconds * 1000) });
        } catch {
          // timed out or the server died: counted by the time spent
        }
        healthMax = Math.max(healthMax, performance.now() - t0);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const t0 = performance.now();
    let outcome: string;
    try {
      const r = await send(server.url, request, seconds * 1000);
      outcome = `${r.status} ${r.text.slice(0, 100)}`;
    } catch (e) {
      outcome =
        server.child.exitCode !== null || server.child.signalCode !== null
          ? `server died (${server.child.signalCode ?? server.child.exitCode})`
          : `no answer: ${(e as Error).name}`;
    }
    const ms = Math.round(performance.now() - t0);
    probing = false;
    await health;
    const stats = await server.stats();
    rows.push({ class: name, bytes: request.body.length, outcome, ms, healthMaxMs: Math.round(healthMax), ...stats });
    console.log(JSON.stringify(rows.at(-1)));
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  }
}

// ---- Soak: good and hostile requests together, with hot reloads ---------------------------------

/** Hostile classes mixed into the soak: every class of the probe. */
const SOAK_HOSTILE = Object.keys(HOSTILE);

/** A good request over one of the protocols, with the answer it must get. */
function goodRequest(n: number): { req: Req; check: (text: string) => boolean } {
  const x = (n % 1000) / 8;
  const y = Math.floor(n / 1000) % 97;
  const sum = x + y;
  switch (n % 3) {
    case 0:
      return {
        req: { path: '/v1/models/add:predict', body: JSON.stringify({ instances: [{ x, y }] }) },
        check: (t) => JSON.parse(t).predictions[0] === sum,
      };
    case 1:
      return {
        req: {
          path: '/v2/models/add/infer',
          body: JSON.stringify({
            inputs: [
              { name: 'x', shape: [1], datatype: 'FP64', data: [x] },
              { name: 'y', shape: [1], datatype: 'FP64', data: [y] },
            ],
          }),
        },
        check: (t) => JSON.parse(t).outputs[0].data[0] === sum,
      };
    default:
      return {
        req: {
          path: '/invocations',
          body: JSON.stringify({ dataframe_split: { columns: ['x', 'y'], data: [[x, y]] } }),
          headers: { 'x-amzn-sagemaker-target-model': 'add' },
        },
        check: (t) => JSON.parse(t).predictions[0] === sum,
      };
  }
}

async function soak(seconds: number, connections: number): Promise<void> {
  const root = writeRepository();
  const server = await startChild(root);
  const file = join(root, 'add', '1', 'model.pfa');
  let rewrites = 0;
  // Every second the model is rewritten the way deployments do it (write, then rename); every
  // fifth rewrite is a broken document, which must leave the previous version serving.
  const reloads = setInterval(() => {
    rewrites++;
    writeFileSync(`${file}.tmp`, rewrites % 5 === 0 ? '{"input": "double", "output": ' : ADD(rewrites));
    renameSync(`${file}.tmp`, file);
  }, 1000);
  // Permutations exhaust any heap: only a server that scores in worker threads survives them.
  const hostile = SOAK_HOSTILE.map((name) => ({ name, req: HOSTILE[name]!() }));
  const good = { sent: 0, ok: 0, lost: 0, wrong: 0, latencyMaxMs: 0 };
  const byClass: Record<string, Record<string, number>> = {};
  const losses: string[] = [];
  const deadline = Date.now() + seconds * 1000;
  let counter = 0;
  let hostileSent = 0;

  const connection = async (id: number) => {
    // Bounded in count as well as in time.
    for (let i = 0; i < 1_000_000 && Date.now() < deadline; i++) {
      const n = counter++;
      // One request in eight is hostile, on two of the connections only, so most traffic is good.
      if (id < 2 && i % 8 === 0) {
        const h = hostile[hostileSent++ % hostile.length]!;
        let key: string;
        try {
          key = String((await send(server.url, h.req, 30_000)).status);
        } catch (e) {
          key = (e as Error).name;
        }
        byClass[h.name] ??= {};
        byClass[h.name]![key] = (byClass[h.name]![key] ?? 0) + 1;
        continue;
      }
      const g = goodRequest(n);
      good.sent++;
      const t0 = performance.now();
      try {
        const r = await send(server.url, g.req, 30_000);
        good.latencyMaxMs = Math.max(good.latencyMaxMs, performance.now() - t0);
        if (r.status !== 200) {
          good.lost++;
          if (losses.length < 5) losses.push(`${r.status} ${r.text.slice(0, 200)}`);
        } else if (!g.check(r.text)) {
          good.wrong++;
          if (losses.length < 5) losses.push(`wrong: ${r.text.slice(0, 200)}`);
        } else good.ok++;
      } catch (e) {
        good.lost++;
        if (losses.length < 5) losses.push((e as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, i) => connection(i)));
  clearInterval(reloads);
  const alive = server.child.exitCode === null && server.child.signalCode === null;
  const stats = await server.stats();
  await server.stop();
  rmSync(root, { recursive: true, force: true });
  const report = {
    seconds,
    connections,
    isolate: isolate ?? 'no',
    rewrites,
    serverAlive: alive,
    good: { ...good, latencyMaxMs: Math.round(good.latencyMaxMs) },
    hostile: byClass,
    server: stats,
    losses,
  };
  console.log(JSON.stringify(report, null, 2));
  console.log(
    `${good.sent} good requests: ${good.lost} lost, ${good.wrong} wrong; ${rewrites} rewrites; peak RSS ${stats?.rssPeakMb ?? '?'} MB; max event-loop delay ${stats?.loopDelayMaxMs ?? '?'} ms`,
  );
  process.exitCode = alive && good.lost === 0 && good.wrong === 0 ? 0 : 1;
}

// ---- Main ----------------------------------------------------------------------------------------

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '60' },
    connections: { type: 'string', default: '8' },
    probe: { type: 'boolean', default: false },
    only: { type: 'string' },
    'serve-child': { type: 'boolean', default: false },
    isolate: { type: 'string' },
  },
});
isolate = values.isolate;

if (values['serve-child']) await serveChild(positionals[0]!, isolate ? Number(isolate) : undefined);
else if (values.probe) await probe(Number(values.seconds), values.only);
else await soak(Number(values.seconds), Number(values.connections));
