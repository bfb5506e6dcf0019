/**
 * What every command shares: `--help` and `--version`, usage errors that name the problem
 * (`trajan score: unknown option --foo`, then the usage, exit 2) and plain words for a file that
 * cannot be read. Options are read with node:util's parseArgs in its lenient mode and checked
 * here, because its strict mode throws messages meant for programmers (`ERR_PARSE_ARGS_*`).
 */
import { createRequire } from 'node:module';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ModelLoadOptions } from '../model.js';

/** The options a command takes, as node:util's parseArgs declares them. */
export type Options = NonNullable<ParseArgsConfig['options']>;

/** The values and positionals of a command line that passed the checks. */
export type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ options: T; strict: true; allowPositionals: true }>>;

/** What the command line asks for: to run, or to print the usage or the version. */
export type CommandLine<T extends Options> = ({ readonly action: 'run' } & Parsed<T>) | { readonly action: 'help' | 'version' };

/** A mistake on the command line: the message names it; the caller adds the usage and exits 2. */
export class UsageError extends Error {}

/** A file named on the command line that cannot be read: the message says which and why, with no usage after it. */
export class FileProblem extends UsageError {}

/** The installed package's version, as `trajan --version` prints it. */
export function packageVersion(): string {
  return String((createRequire(import.meta.url)('../../package.json') as { version: string }).version);
}

const COMMON: Options = { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } };

/** A value taken from the next argument that is really another option (`-o --json`), not a negative number. */
const looksLikeOption = (value: string): boolean => value.length > 1 && value.startsWith('-') && Number.isNaN(Number(value));

/**
 * Reads `args` against `options` plus `--help`/`-h` and `--version`. Asking for help or the
 * version wins over any mistake elsewhere on the line, so `--help` always helps. Throws a
 * UsageError for an unknown option, a missing value or a value given to a flag.
 */
export function parseCommandLine<T extends Options>(args: readonly string[], options: T): CommandLine<T> {
  const all = { ...COMMON, ...options };
  const { values, positionals, tokens } = parseArgs({ args: [...args], options: all, strict: false, allowPositionals: true, tokens: true });
  if (values.help === true) return { action: 'help' };
  if (values.version === true) return { action: 'version' };
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = all[token.name];
    if (!option) throw new UsageError(`unknown option ${token.rawName}`);
    if (option.type === 'boolean' && token.value !== undefined) throw new UsageError(`option ${token.rawName} takes no value`);
    if (option.type === 'string' && (token.value === undefined || (!token.inlineValue && looksLikeOption(token.value)))) {
      throw new UsageError(`option ${token.rawName} needs a value`);
    }
  }
  delete values.help;
  delete values.version;
  // The checks above leave exactly the shapes strict parsing would give.
  return { action: 'run', values, positionals } as { action: 'run' } & Parsed<T>;
}

/**
 * Runs a command's body with the conventions around it: `--help` prints `usage` to stdout,
 * `--version` the package version, both exit 0; a UsageError, thrown by the parsing or by the
 * body (synchronously or not), prints `command: message` and the usage to stderr and exits 2
 * (a FileProblem leaves the usage out: the command line was right, the file is not).
 * Synchronous bodies stay synchronous, so `validate-model` and `convert` can be called as plain
 * functions.
 */
export function withCommandLine<T extends Options, R extends number | Promise<number>>(
  command: string,
  usage: string,
  args: readonly string[],
  options: T,
  io: { out: (s: string) => void; err: (s: string) => void },
  body: (parsed: Parsed<T>) => R,
): R | number {
  const failed = (e: unknown): number => {
    if (!(e instanceof UsageError)) throw e;
    io.err(e instanceof FileProblem ? `${command}: ${e.message}` : usageMessage(command, e.message, usage));
    return 2;
  };
  try {
    const line = parseCommandLine(args, options);
    if (line.action === 'help') io.out(usage);
    else if (line.action === 'version') io.out(packageVersion());
    else {
      const status = body(line as Parsed<T>);
      return status instanceof Promise ? (status.catch(failed) as R) : status;
    }
    return 0;
  } catch (e) {
    return failed(e);
  }
}

/** `command: message`, then the usage. */
export function usageMessage(command: string, message: string, usage: string): string {
  return `${command}: ${message}\n${usage}`;
}

const REASONS: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a directory',
  ENOTDIR: 'does not exist (a part of its path is not a directory)',
  EACCES: 'cannot be read: permission denied',
  EPERM: 'cannot be read: permission denied',
};

/** Why a file could not be read, in words (`does not exist`), else the system's code or message. */
export function unreadable(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code && REASONS[code]) return REASONS[code];
  return `cannot be read: ${code ?? (e instanceof Error ? e.message : String(e))}`;
}

/** A flag's value as a whole number of at least 0, or undefined when the flag is not given. */
export function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 0)
    throw new UsageError(`--${flag} must be a whole number of at least 0, got ${value}`);
  return n;
}

/** The flags that set a model's scoring budgets and how its records are checked (`trajan score`, `trajan serve`). */
export const MODEL_OPTIONS = {
  timeout: { type: 'string' },
  'max-loop-steps': { type: 'string' },
  'max-allocation': { type: 'string' },
  'allow-extra-fields': { type: 'boolean' },
} as const;

/** The load options MODEL_OPTIONS ask for; the time budget is `defaultTimeout` when --timeout is not given. */
export function modelLoadOptions(values: Partial<Parsed<typeof MODEL_OPTIONS>['values']>, defaultTimeout: number): ModelLoadOptions {
  const maxLoopSteps = wholeNumber('max-loop-steps', values['max-loop-steps']);
  const maxAllocation = wholeNumber('max-allocation', values['max-allocation']);
  return {
    timeout: wholeNumber('timeout', values.timeout) ?? defaultTimeout,
    ...(maxLoopSteps !== undefined ? { maxLoopSteps } : {}),
    ...(maxAllocation !== undefined ? { maxAllocation } : {}),
    ...(values['allow-extra-fields'] ? { allowExtraFields: true } : {}),
  };
}
