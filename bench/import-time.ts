/**
 * Start-up cost of the library: how long `import('trajan')` takes and how much memory the process
 * holds afterwards, for a library user who loads and scores a model. Every sample is a fresh
 * `node` process (a module is evaluated once per process, so a second import in the same process
 * measures nothing); the figures are medians over the runs. Wall-clock times stretch with whatever
 * else the machine runs; CPU time and memory much less so.
 *
 * It imports the built entry, dist/index.js: run `npm run build` first. `npm run bench:import --
 * [--runs N] [--entry PATH]`.
 *
 * Scenarios, each in its own processes:
 * - node:    an empty script, the floor every other figure stands on;
 * - import:  `await import(entry)` and nothing else;
 * - score:   import, then load the iris tree of examples/ and score one record;
 * - mathjs:  import, then load and score a document that calls `la.inverse` (pays for mathjs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './cpu-time.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    entry: { type: 'string', default: fileURLToPath(new URL('../dist/index.js', import.meta.url)) },
  },
});
const runs = Number(values.runs);
const entry = values.entry!;
if (!existsSync(entry)) {
  console.error(`${entry} does not exist: run \`npm run build\` first`);
  process.exit(1);
}
const entryUrl = pathToFileURL(entry).href;
const irisUrl = new URL('../examples/iris-tree.pfa.json', import.meta.url).href;

const inverseDoc = JSON.stringify({
  input: { type: 'array', items: { type: 'array', items: 'double' } },
  output: { type: 'array', items: { type: 'array', items: 'double' } },
  action: [{ 'la.inverse': ['input'] }],
});

/** The child's script: everything it reports is measured inside it, from its own clock. */
function script(body: string): string {
  return `
const t0 = performance.now();
${body}
const ms = performance.now() - t0;
const m = process.memoryUsage();
const c = process.cpuUsage();
process.stdout.write(JSON.stringify({ ms, cpu: (c.user + c.system) / 1000, rss: m.rss, heap: m.heapUsed }));
`;
}

const SCENARIOS: Record<string, string> = {
  node: script(''),
  import: script(`await import(${JSON.stringify(entryUrl)});`),
  score: script(`
const { loadPfa } = await import(${JSON.stringify(entryUrl)});
const { readFileSync } = await import('node:fs');
const engine = loadPfa(readFileSync(new URL(${JSON.stringify(irisUrl)}), 'utf8'));
engine.action({ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 });
`),
  mathjs: script(`
const { loadPfa } = await import(${JSON.stringify(entryUrl)});
const engine = loadPfa(${JSON.stringify(inverseDoc)});
engine.action([[2, 1], [1, 3]]);
`),
};

interface Sample {
  readonly ms: number;
  /**
   * CPU time (user + system) of the whole child, start-up included: on a loaded machine it
   * stays close to what an idle one measures, while wall-clock times stretch with the load.
   */
  readonly cpu: number;
  /** The whole process, spawn to exit, as the parent sees it. */
  readonly wall: number;
  readonly rss: number;
  readonly heap: number;
}

function sample(code: string): Sample {
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  const wall = performance.now() - start;
  if (child.status !== 0) throw new Error(`child failed (${child.status}): ${child.stderr}`);
  return { ...(JSON.parse(child.stdout) as Omit<Sample, 'wall'>), wall };
}

const MB = 1024 * 1024;

console.log(`entry ${entry}, node ${process.version}, ${runs} runs per scenario (medians)`);
console.log('scenario   in-process ms   process wall ms   process CPU ms   RSS MB   heap used MB');
for (const [name, code] of Object.entries(SCENARIOS)) {
  sample(code); // warm the file system cache
  const samples = Array.from({ length: runs }, () => sample(code));
  const cell = (v: number, width: number, digits = 0) => v.toFixed(digits).padStart(width);
  console.log(
    `${name.padEnd(8)} ${cell(median(samples.map((s) => s.ms)), 15)} ${cell(median(samples.map((s) => s.wall)), 17)} ${cell(median(samples.map((s) => s.cpu)), 16)} ` +
      `${cell(median(samples.map((s) => s.rss / MB)), 8, 1)} ${cell(median(samples.map((s) => s.heap / MB)), 14, 1)}`,
  );
}
