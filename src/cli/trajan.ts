#!/usr/bin/env node
/**
 * `trajan COMMAND ...`: `validate` (as validate-model) and `conformance`.
 */
import { runConformance } from './conformance.js';
import { runValidate } from './validate.js';

const USAGE = `usage: trajan <command> [args]

commands:
  validate FILE...              parse and check PFA documents (same as validate-model)
  conformance pfa FILE...       run the PFA conformance suite`;

function main(argv: string[]): number {
  const [cmd, ...args] = argv;
  const out = (s: string) => console.log(s);
  const err = (s: string) => console.error(s);
  switch (cmd) {
    case 'validate':
      return runValidate(args, out, err);
    case 'conformance':
      return runConformance(args, out, err);
    case undefined:
    case '--help':
    case '-h':
      out(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      err(`unknown command ${cmd}\n${USAGE}`);
      return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
