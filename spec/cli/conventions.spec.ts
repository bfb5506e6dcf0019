/**
 * The conventions every command keeps, through the real executables: `--help` and `--version`
 * exit 0 on stdout; a usage error is one line naming the problem, then the usage, exit 2, with
 * none of node:util's parseArgs wording; a missing file is named as missing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../src/cli/conformance.js';
import { runConvert } from '../../src/cli/convert.js';
import { runTypes } from '../../src/cli/types.js';
import { runScore } from '../../src/cli/score.js';
import { runServe } from '../../src/cli/serve.js';
import { runValidate } from '../../src/cli/validate.js';

const TRAJAN = fileURLToPath(new URL('../../src/cli/trajan.ts', import.meta.url));
const VALIDATE_MODEL = fileURLToPath(new URL('../../src/cli/validate-model.ts', import.meta.url));
const MODEL = fileURLToPath(new URL('../fixtures/scoring/total.pfa.yaml', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

type Io = (out: (s: string) => void, err: (s: string) => void) => number | Promise<number>;

/** A command run in-process, as trajan.ts dispatches it: its status and what it printed. */
async function run(f: Io): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const status = await f(
    (s) => out.push(`${s}\n`),
    (s) => err.push(`${s}\n`),
  );
  return { status, stdout: out.join(''), stderr: err.join('') };
}

/** Each command, with the name its messages use. */
const COMMANDS: { name: string; run: (args: string[]) => Io }[] = [
  { name: 'validate-model', run: (args) => (out, err) => runValidate(args, out, err) },
  { name: 'trajan validate', run: (args) => (out, err) => runValidate(args, out, err, 'trajan validate') },
  { name: 'trajan convert', run: (args) => (out, err) => runConvert(args, out, err) },
  { name: 'trajan types', run: (args) => (out, err) => runTypes(args, out, err) },
  { name: 'trajan score', run: (args) => (out, err) => runScore(args, err, out) },
  { name: 'trajan serve', run: (args) => (out, err) => runServe(args, out, err) },
  { name: 'trajan conformance', run: (args) => (out, err) => runConformance(args, out, err) },
  { name: 'trajan conformance pfa', run: (args) => (out, err) => runConformance(['pfa', ...args], out, err) },
  { name: 'trajan conformance pmml', run: (args) => (out, err) => runConformance(['pmml', ...args], out, err) },
];

const trajan = (...args: string[]) => COMMANDS.find((c) => c.name === `trajan ${args[0]}`)!.run(args.slice(1));

describe('every command', () => {
  for (const command of COMMANDS) {
    it(`${command.name}: --help, -h, --version, an unknown option`, async () => {
      for (const flag of ['--help', '-h']) {
        const help = await run(command.run([flag]));
        expect([help.status, help.stderr]).toEqual([0, '']);
        expect(help.stdout).toMatch(new RegExp(`^usage: ${command.name}`));
      }
      expect(await run(command.run(['--version']))).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
      const bad = await run(command.run(['x', '--foo']));
      expect(bad.status).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(new RegExp(`^${command.name}: unknown option --foo\nusage: ${command.name}`));
    });
  }

  it("keeps to this through the real executables, with none of node:util's wording", () => {
    const spawn = (bin: string, ...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', bin, ...args], { encoding: 'utf8', input: '' });
    const help = spawn(VALIDATE_MODEL, '--help');
    expect([help.status, help.stdout]).toEqual([0, expect.stringMatching(/^usage: validate-model /)]);
    const bad = spawn(TRAJAN, 'score', MODEL, '--foo');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^trajan score: unknown option --foo\nusage: trajan score /);
    expect(bad.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
  }, 120_000);
});

describe('usage errors', () => {
  it('name a missing argument, a missing value and a value given to a flag', async () => {
    const cases: [string[], string][] = [
      [['score'], 'trajan score: missing MODEL'],
      [['score', MODEL, 'in.csv', '--threads'], 'trajan score: option --threads needs a value'],
      [['score', MODEL, 'in.csv', '-o', '--fail-fast'], 'trajan score: option -o needs a value'],
      [['score', MODEL, 'in.csv', '--fail-fast=yes'], 'trajan score: option --fail-fast takes no value'],
      [['score', MODEL, 'in.csv', '--threads', '-2'], 'trajan score: --threads must be a positive whole number, got -2'],
      [['convert'], 'trajan convert: missing MODEL.pmml'],
      [['types'], 'trajan types: missing MODEL'],
      [['validate'], 'trajan validate: no FILE to validate'],
      [['serve'], 'trajan serve: missing MODEL_DIR'],
      [['conformance', 'nope'], 'trajan conformance: unknown suite nope; use pfa or pmml'],
    ];
    for (const [args, message] of cases) {
      const r = await run(trajan(...args));
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n').slice(0, 2), args.join(' ')).toEqual([message, expect.stringMatching(/^usage: /)]);
    }
  });
});

describe('missing files', () => {
  it('are named as missing, with no usage after, before anything is said about their format', async () => {
    const cases: [string[], string][] = [
      [['score', 'missing.pfa'], 'trajan score: model file missing.pfa does not exist'],
      [['score', MODEL, 'missing.csv'], 'trajan score: input file missing.csv does not exist'],
      [['score', MODEL, 'missing.txt'], 'trajan score: input file missing.txt does not exist'],
      [['convert', 'missing.pmml'], 'trajan convert: model file missing.pmml does not exist'],
      [['types', 'missing.pfa'], 'trajan types: model file missing.pfa does not exist'],
      [['serve', 'missing-dir'], 'trajan serve: model directory missing-dir does not exist'],
      [['serve', MODEL], `trajan serve: model directory ${MODEL} is not a directory`],
      [['validate', 'missing.pfa'], 'missing.pfa: does not exist (ENOENT)'],
      [['conformance', 'pfa', 'missing.json'], 'trajan conformance pfa: missing.json does not exist'],
    ];
    for (const [args, message] of cases) {
      const r = await run(trajan(...args));
      expect([r.status, r.stderr], args.join(' ')).toEqual([2, `${message}\n`]);
    }
  });
});
