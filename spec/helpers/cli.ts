/** Runs CLI commands in-process for specs: their exit status and the lines they printed. */
import { runValidate } from '../../src/cli/validate.js';

/** A command's printers: one for standard output, one for standard error, a line per call. */
type Printer = (line: string) => void;

/** What a command run in-process gave: its status and its lines on standard output and error. */
export interface Captured {
  readonly status: number;
  readonly out: string[];
  readonly err: string[];
}

/** Runs `command` with printers that collect its lines. */
export function captured(command: (out: Printer, err: Printer) => number): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const status = command(
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { status, out, err };
}

/** `validate-model` with these arguments. */
export function validate(...args: string[]): Captured {
  return captured((out, err) => runValidate(args, out, err));
}
