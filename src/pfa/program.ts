/**
 * A PFA document compiled once: `compilePfa(source)` parses, checks and compiles it; each
 * `program.instantiate(options)` makes an engine with its own cells, pools, random generator,
 * counters and budgets, and runs no compiler (compiled.ts says why none is needed). For a host
 * that makes many engines of one document — several instances, an engine per tenant or per test,
 * a fresh engine after a reset — instantiating costs a fraction of loading.
 *
 * A program is not serialisable: most of it is closures over library implementations, converters
 * and constant values, held by reference, and only parts of it are generated source. Re-creating
 * it elsewhere (a worker thread) would mean running the compiler again, so a thread compiles the
 * document text it is given, once, and instantiates from that.
 */
import { PfaInitializationError } from '../errors.js';
import type { AvroType } from '../avro/types.js';
import type { Method } from './ast.js';
import type { Checked } from './check/checker.js';
import { checkOptionNames, onlyOptions } from './check/options.js';
import { backendOption, CompiledPfa, type Backend } from './compiled.js';
import { ENGINE_OPTION_NAMES, PfaEngine, type EngineOptions } from './engine.js';
import { asTrajanError } from './error-boundary.js';
import { checkPfaSource, documentText, PARSE_OPTION_NAMES, type DocumentSource } from './load.js';
import type { ParseOptions } from './parse.js';
import { locate } from './source.js';

/** Options of `compilePfa`: the document's parse limits and the backend. */
export interface CompileOptions extends ParseOptions {
  readonly backend?: Backend;
}

export const COMPILE_OPTION_NAMES = { ...PARSE_OPTION_NAMES, backend: true } as const satisfies Record<keyof CompileOptions, true>;

/** Options of `instantiate`: an engine's, less the backend, which the program fixed. */
export type InstanceOptions = Omit<EngineOptions, 'backend'>;

export class Program {
  readonly name: string;
  readonly method: Method;
  readonly inputType: AvroType;
  readonly outputType: AvroType;

  private constructor(private readonly compiled: CompiledPfa) {
    const doc = compiled.doc;
    this.name = doc.name;
    this.method = doc.method;
    this.inputType = doc.input;
    this.outputType = doc.output;
  }

  /** A program of a document already checked (`checkPfaSource`). */
  static fromChecked(checked: Checked, options: { readonly backend?: Backend } = {}): Program {
    checkOptionNames(options, { backend: true }, 'Program.fromChecked');
    return new Program(new CompiledPfa(checked, backendOption(options.backend)));
  }

  get backend(): Backend {
    return this.compiled.backend;
  }

  /** A new engine of this program, in the state `begin` starts from. */
  instantiate(options: InstanceOptions = {}): PfaEngine {
    checkOptionNames(options, ENGINE_OPTION_NAMES, 'instantiate');
    if ('backend' in options)
      throw new PfaInitializationError('bad-option', 'instantiate: the backend is chosen when the program is compiled (compilePfa)');
    return new PfaEngine(this.compiled, options);
  }
}

/** Parses, checks and compiles a PFA document (text, bytes or parsed JSON) into a Program. */
export function compilePfa(source: DocumentSource | object, options: CompileOptions = {}): Program {
  checkOptionNames(options, COMPILE_OPTION_NAMES, 'compilePfa');
  const checked = checkPfaSource(source, onlyOptions(options, PARSE_OPTION_NAMES));
  const backend = backendOption(options.backend);
  try {
    return Program.fromChecked(checked, { backend });
  } catch (e) {
    const error = asTrajanError(e, 'compile');
    const pointer = error.location?.pointer;
    if (pointer !== undefined && error.location?.line === undefined && (typeof source === 'string' || source instanceof Uint8Array)) {
      try {
        error.location = locate(documentText(source), pointer);
      } catch {
        // The pointer alone still says where.
      }
    }
    throw error;
  }
}
