/**
 * `trajan score MODEL [INPUT] [-o OUTPUT] [--format F] [--output-format F] [--threads N]
 * [--rejects FILE | --fail-fast] [--timeout MS] [--max-loop-steps N] [--max-allocation N]
 * [--allow-extra-fields] [--copy-columns A,B] [--id-column NAME]`: scores
 * a CSV, JSON Lines or Avro file (stdin when INPUT is absent or `-`) into a file of the same or
 * another format (stdout when OUTPUT is absent). A summary goes to stderr. Exit 0 when every row
 * was scored or went to the rejects file, 1 when rows failed without a rejects file or --fail-fast
 * stopped the run, 2 for usage errors, unreadable files, models that do not load and runs that
 * cannot finish (input that cannot be read on, a worker thread that died).
 */
import { createReadStream, createWriteStream, readFileSync, statSync, type ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { TrajanError, formatLocation } from '../errors.js';
import { formatOf, isBatchFormat, type BatchFormat } from '../batch/formats.js';
import { progressBar } from '../batch/progress.js';
import { BatchAbort, ColumnClash, scoreStream, type BatchSummary } from '../batch/score-stream.js';
import { InputError } from '../io/input-error.js';
import {
  FileProblem,
  MODEL_OPTIONS,
  UsageError,
  modelLoadOptions,
  unreadable,
  usageMessage,
  withCommandLine,
  type Parsed,
} from './command-line.js';

export const SCORE_USAGE = `usage: trajan score MODEL [INPUT] [-o OUTPUT] [--format csv|jsonl|avro] [--output-format csv|jsonl|avro]
                    [--threads N] [--rejects FILE] [--fail-fast]
                    [--timeout MS] [--max-loop-steps N] [--max-allocation N] [--allow-extra-fields]
                    [--copy-columns A,B,...] [--id-column NAME]
  --timeout MS          time allowed to score one record (default 1000; 0 for none)
  --max-loop-steps N    loop iterations and function calls allowed for one record
  --max-allocation N    elements library functions may create for one record
  --allow-extra-fields  ignore input columns the model does not read (default: reject the row)
  --copy-columns A,B    copy these input columns into each output record, before the results
  --id-column NAME      copy this column first, and give it as "id" in the rejects file
  --help, -h            this text
  --version             the installed version`;

const SCORE_OPTIONS = {
  output: { type: 'string', short: 'o' },
  format: { type: 'string' },
  'output-format': { type: 'string' },
  threads: { type: 'string' },
  rejects: { type: 'string' },
  'fail-fast': { type: 'boolean' },
  ...MODEL_OPTIONS,
  'copy-columns': { type: 'string' },
  'id-column': { type: 'string' },
} as const;

/** The time budget of one record when --timeout is not given, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 1000;

/** How many failing rows are listed on stderr when there is no rejects file. */
const LISTED_REJECTS = 10;

function chooseFormat(
  explicit: string | undefined,
  file: string | undefined,
  fallback: BatchFormat | undefined,
  what: string,
): BatchFormat {
  if (explicit !== undefined) {
    if (!isBatchFormat(explicit)) throw new UsageError(`unknown format ${explicit}; use csv, jsonl or avro`);
    return explicit;
  }
  const f = (file && formatOf(file)) || fallback;
  if (!f) throw new UsageError(`cannot tell the ${what} format from ${file ?? 'a pipe'}: use --format`);
  return f;
}

function summaryLine(s: BatchSummary): string {
  const rate = s.seconds > 0 ? Math.round(s.rows / s.seconds) : s.rows;
  const line = `scored ${s.scored} of ${s.rows} rows in ${s.seconds.toFixed(2)} s (${rate} rows/s), ${s.rejected} rejected`;
  return s.stoppedAt ? `${line}; stopped at row ${s.stoppedAt.row}: ${s.stoppedAt.error}` : line;
}

/** The names `--copy-columns a,b` lists; an empty name is a mistake rather than a column called "". */
function columnList(list: string | undefined): string[] {
  if (list === undefined) return [];
  const names = list.split(',').map((n) => n.trim());
  if (names.some((n) => n === ''))
    throw new UsageError(`--copy-columns needs a comma-separated list of column names, got ${JSON.stringify(list)}`);
  return names;
}

/** The text of the model file; a file that is not there is named as such, before any other check on the input. */
function readModel(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new FileProblem(`model file ${file} ${unreadable(e)}`);
  }
}

/** The input file's size (for the progress bar), or a FileProblem naming the file when it cannot be read. */
function inputSize(file: string): number {
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return stat.size;
  } catch (e) {
    throw new FileProblem(`input file ${file} ${unreadable(e)}`);
  }
}

/** The run the command line asks for; throws a UsageError (or a FileProblem) for anything wrong with it. */
function scoreRun({ values, positionals }: Parsed<typeof SCORE_OPTIONS>) {
  const [modelFile, inputArg, ...extra] = positionals;
  if (!modelFile) throw new UsageError('missing MODEL');
  if (extra.length) throw new UsageError(`expected MODEL and at most one INPUT, got ${positionals.length} arguments`);
  const input = inputArg === '-' ? undefined : inputArg;
  const threads = Number(values.threads ?? 1);
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`--threads must be a positive whole number, got ${values.threads}`);
  if (values.rejects && values['fail-fast']) throw new UsageError('use either --rejects or --fail-fast');
  const loadOptions = modelLoadOptions(values, DEFAULT_TIMEOUT_MS);
  const copyColumns = columnList(values['copy-columns']);
  const idColumn = values['id-column'];
  if (idColumn !== undefined && idColumn.trim() === '') throw new UsageError('--id-column needs a column name');
  // A file that is not there says so, rather than what its name fails to say about its format.
  const model = readModel(modelFile);
  const size = input === undefined ? undefined : inputSize(input);
  const inputFormat = chooseFormat(values.format, input, undefined, 'input');
  const outputFormat = chooseFormat(values['output-format'], values.output, values.output ? undefined : inputFormat, 'output');
  return {
    modelFile,
    model,
    input,
    size,
    output: values.output,
    inputFormat,
    outputFormat,
    threads,
    rejects: values.rejects,
    failFast: values['fail-fast'] ?? false,
    loadOptions,
    copyColumns,
    idColumn,
  };
}

/** `out` is only for `--help` and `--version`: results go to OUTPUT or process.stdout. */
export async function runScore(
  args: string[],
  err: (s: string) => void,
  out: (s: string) => void = (s) => console.log(s),
): Promise<number> {
  let parsed: ReturnType<typeof scoreRun> | undefined;
  const status = await withCommandLine('trajan score', SCORE_USAGE, args, SCORE_OPTIONS, { out, err }, (line) => {
    parsed = scoreRun(line);
    return 0;
  });
  if (!parsed || status !== 0) return status;
  return score(parsed, err);
}

async function score(parsed: ReturnType<typeof scoreRun>, err: (s: string) => void): Promise<number> {
  const { model, size } = parsed;
  const inputStream: Readable = parsed.input ? createReadStream(parsed.input) : process.stdin;

  const output = parsed.output ? createWriteStream(parsed.output) : process.stdout;
  const rejects = parsed.rejects ? createWriteStream(parsed.rejects) : undefined;
  const progress = progressBar(process.stderr, size);
  let listed = 0;
  try {
    const summary = await scoreStream({
      model,
      loadOptions: parsed.loadOptions,
      input: inputStream,
      inputFormat: parsed.inputFormat,
      output,
      outputFormat: parsed.outputFormat,
      threads: parsed.threads,
      rejects,
      failFast: parsed.failFast,
      copyColumns: parsed.copyColumns,
      ...(parsed.idColumn !== undefined ? { idColumn: parsed.idColumn } : {}),
      onProgress: progress && ((rows) => progress.update((inputStream as ReadStream).bytesRead, rows)),
      onReject: (row, error, code) => {
        if (parsed.rejects || parsed.failFast) return;
        if (listed++ < LISTED_REJECTS) err(`row ${row}: ${error}${code === undefined ? '' : ` (${code})`}`);
      },
    });
    progress?.stop();
    if (listed > LISTED_REJECTS) err(`... and ${listed - LISTED_REJECTS} more rejected rows (keep them with --rejects FILE)`);
    err(summaryLine(summary));
    return summary.stoppedAt || (summary.rejected > 0 && !parsed.rejects) ? 1 : 0;
  } catch (e) {
    progress?.stop();
    // The run is over: files still opening must not report errors later, to no one.
    for (const stream of [inputStream, output, rejects] as (NodeJS.EventEmitter & { destroy(): void })[]) {
      if (stream && stream !== process.stdin && stream !== process.stdout) stream.on('error', () => undefined).destroy();
    }
    if (e instanceof BatchAbort) {
      // The results before the break are written; say how far the run got, then why it stopped.
      if (listed > LISTED_REJECTS) err(`... and ${listed - LISTED_REJECTS} more rejected rows (keep them with --rejects FILE)`);
      err(summaryLine(e.summary));
      const code = e.cause instanceof InputError ? `${e.cause.code} ` : '';
      err(`${parsed.input ?? 'stdin'}: ${code}${e.cause.message}; the run is incomplete`);
    } else if (e instanceof ColumnClash) err(usageMessage('trajan score', e.message, SCORE_USAGE));
    else if (e instanceof TrajanError) err(`${parsed.modelFile}:${formatLocation(e.location)} ${e.code} ${e.message}`);
    else err(`${parsed.input ?? 'stdin'}: ${(e as Error).message}`);
    return 2;
  }
}
