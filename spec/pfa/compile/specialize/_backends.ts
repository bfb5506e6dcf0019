/**
 * Helpers for the specialised backend's specs: which calls got a kernel, and whether both backends
 * give the same results (or the same error) on the same inputs.
 */
import { expect } from 'vitest';
import { loadPfa } from '../../../../src/index.js';
import { checkPfaSource } from '../../../../src/pfa/load.js';
import { Compiler } from '../../../../src/pfa/compile/compiler.js';
import { RuntimeLink } from '../../../../src/pfa/compile/runtime.js';
import { specialize } from '../../../../src/pfa/compile/specialize/index.js';

/** Names of the library calls of the action that the specialiser compiled into kernels. */
export function specializedCalls(doc: object): string[] {
  const checked = checkPfaSource(doc);
  const used: string[] = [];
  new Compiler(checked, new RuntimeLink(), (call) => {
    const kernel = specialize(call);
    if (kernel) used.push(call.target.fn.name);
    return kernel;
  }).body(checked.doc.action);
  return used;
}

/** The source of the specialised backend's code for the action, to look at what was generated. */
export function actionCode(doc: object): string {
  const checked = checkPfaSource(doc);
  return new Compiler(checked, new RuntimeLink(), specialize).body(checked.doc.action).toString();
}

function outcome(run: () => unknown): unknown {
  try {
    return { value: run() };
  } catch (e) {
    return { error: (e as { code?: unknown }).code ?? String(e) };
  }
}

/** Scores every input with both backends and expects the same value or the same error code; returns the values. */
export function expectBackendsAgree(doc: object, inputs: readonly unknown[]): unknown[] {
  const specialized = loadPfa(doc);
  const closures = loadPfa(doc, { backend: 'closures' });
  return inputs.map((x) => {
    const a = outcome(() => specialized.action(x));
    expect(a).toEqual(outcome(() => closures.action(x)));
    return a;
  });
}
