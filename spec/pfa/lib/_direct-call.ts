/**
 * Calls a library function's implementation directly, with a hand-built call site, for specs that
 * run before (or without) the engine.
 */
import type { AnyType, AvroType } from '../../../src/avro/types.js';
import { T } from '../../../src/avro/types.js';
import { PfaRuntimeError } from '../../../src/errors.js';
import type { CallSite, EngineContext, Impl } from '../../../src/pfa/lib/define.js';
import { implementationFor } from '../../../src/pfa/lib/define.js';
import { registry } from '../../../src/pfa/lib/index.js';

const FREE: EngineContext = { random: Math.random, log: () => undefined, charge: () => undefined, allocate: () => undefined };

/** The implementation of `name` for signature `sigIndex`, with arguments of `paramTypes` (and a context that budgets nothing unless given). */
export function implFor(
  name: string,
  paramTypes: readonly AnyType[],
  sigIndex = 0,
  retType: AvroType = T.null,
  ctx: EngineContext = FREE,
): Impl {
  const fn = registry.get(name);
  if (!fn) throw new Error(`no library function ${name}`);
  const site: CallSite = {
    name,
    sigIndex,
    argTypes: paramTypes,
    paramTypes,
    retType,
    bindings: new Map(),
    ctx,
  };
  return implementationFor(fn.def, site);
}

/** The numeric code of the runtime error `f()` raises, or a description of what happened instead. */
export function errorCode(f: () => unknown): number | string {
  try {
    f();
  } catch (e) {
    return e instanceof PfaRuntimeError ? e.code : `not a runtime error: ${String(e)}`;
  }
  return 'no error';
}
