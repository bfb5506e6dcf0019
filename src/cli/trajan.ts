#!/usr/bin/env node
/**
 * `trajan COMMAND ...`: `validate` (as validate-model), `convert`, `types`, `score`, `serve` and `conformance`.
 */
import { TrajanError } from '../errors.js';
import { importNeeding } from '../optional-package.js';
import { packageVersion } from './command-line.js';
import { runConvert } from './convert.js';
import { runTypes } from './types.js';
import { runValidate } from './validate.js';

const USAGE = `usage: trajan <command> [args]

commands:
  validate FILE...              parse and check PFA or PMML documents (same as validate-model)
  convert MODEL.pmml [-o OUT]   write a PMML document as an equivalent PFA document (docs/pmml.md)
  types MODEL [-o OUT.d.ts]     write TypeScript types of a model's records (docs/types.md)
  score MODEL [INPUT] [-o OUT]  score a CSV, JSON Lines or Avro file (docs/batch.md)
  serve MODEL_DIR [--port N]    serve a model repository over HTTP (docs/serving.md)
  conformance pfa FILE...       run the PFA conformance suite
  conformance pmml MANIFEST     run the PMML conformance corpus

options:
  --help, -h                    this text (after a command: that command's usage)
  --version, -v                 the installed version`;

function main(argv: string[]): number | Promise<number> {
  const [cmd, ...args] = argv;
  const out = (s: string) => console.log(s);
  const err = (s: string) => console.error(s);
  switch (cmd) {
    case 'validate':
      return runValidate(args, out, err, 'trajan validate');
    case 'convert':
      return runConvert(args, out, err);
    case 'types':
      return runTypes(args, out, err);
    // These need optional packages (the server, CSV, worker threads, progress bars): loaded here,
    // so that a missing one is reported by name and the other commands work without it.
    case 'score':
      return importNeeding(() => import('./score.js'), 'trajan score').then(({ runScore }) => runScore(args, err, out));
    case 'serve':
      return importNeeding(() => import('./serve.js'), 'trajan serve').then(({ runServe }) => runServe(args, out, err));
    case 'conformance':
      return importNeeding(() => import('./conformance.js'), 'trajan conformance').then(({ runConformance }) =>
        runConformance(args, out, err),
      );
    case '--version':
    case '-v':
      out(packageVersion());
      return 0;
    case undefined:
    case '--help':
    case '-h':
      out(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      err(`trajan: unknown command ${cmd}\n${USAGE}`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof TrajanError)) throw e;
  console.error(`trajan: ${e.message} (${e.code})`);
  process.exitCode = 1;
}
