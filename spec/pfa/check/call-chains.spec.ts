import { describe, expect, it } from 'vitest';
import { TrajanError, checkPfaSource, loadPfa } from '../../../src/index.js';

/** f0 calls f1 calls ... f(n-1), which returns its argument; built at run time. */
function chain(n: number): object {
  const fcns: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const body = i === n - 1 ? 'x' : { [`u.f${i + 1}`]: [{ '+': ['x', 1] }] };
    fcns[`f${i}`] = { params: [{ x: 'int' }], ret: 'int', do: body };
  }
  return { input: 'int', output: 'int', fcns, action: { 'u.f0': ['input'] } };
}

describe('long chains of user functions', () => {
  it('10^4 chained functions are checked and compiled without following the chain', () => {
    const doc = chain(10_000);
    expect(() => checkPfaSource(doc)).not.toThrow();
    for (const backend of ['closures', 'specialized'] as const) {
      let outcome: unknown;
      try {
        loadPfa(doc, { backend });
        outcome = 'loaded';
      } catch (e) {
        outcome = e;
      }
      expect(outcome).toBe('loaded');
    }
  });

  it('running one deeper than the call-depth limit is a coded error, never a RangeError', () => {
    const e = loadPfa(chain(10_000));
    let err: unknown;
    try {
      e.action(0);
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(TrajanError);
    expect(typeof (err as TrajanError).code).toBe('string');
    const short = loadPfa(chain(50));
    expect(short.action(1)).toBe(50);
  });

  it('the same chain written in text loads too', () => {
    expect(() => loadPfa(JSON.stringify(chain(10_000)))).not.toThrow();
  });
});
