import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrajanError, checkPfaSource, loadPfa } from '../../src/index.js';
import { Checker } from '../../src/pfa/check/checker.js';
import { Compiler } from '../../src/pfa/compile/compiler.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

/** {"-": [{"-": [... 1 ...]}]} nested `depth` deep, built without recursion. */
function nested(depth: number): unknown {
  let e: unknown = 1;
  for (let i = 0; i < depth; i++) e = { 'u-': [e] };
  return e;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the loader reports every failure as a coded TrajanError', () => {
  it('a bug while checking becomes internal-error, at the expression being checked', () => {
    // The checker records each node's type through its private `set`; a failure there stands for a bug.
    const proto = Checker.prototype as unknown as { set: (node: { k?: string; value?: unknown }, info: unknown) => unknown };
    const real = proto.set;
    vi.spyOn(proto, 'set').mockImplementation(function (this: unknown, node, info) {
      if (node.k === 'literal' && node.value === 42) throw new TypeError('cannot read properties of undefined');
      return real.call(this, node, info);
    });
    const text = '{"input": "int",\n "output": "int",\n "action": [1, {"+": [42, 1]}]}';
    const e = thrown(() => checkPfaSource(text)) as TrajanError;
    expect(e).toBeInstanceOf(TrajanError);
    expect(e.code).toBe('internal-error');
    expect(e.message).toMatch(/TypeError: cannot read properties of undefined/);
    expect(e.location).toMatchObject({ pointer: '/action/1/+/0', line: 3 });
    expect(loadPfa({ input: 'int', output: 'int', action: 1 }).action(0)).toBe(1);
  });

  it('a bug while compiling becomes internal-error too, at the expression being compiled when known', () => {
    const body = vi.spyOn(Compiler.prototype, 'body').mockImplementation(() => {
      throw new Error('unexpected');
    });
    const e = thrown(() => loadPfa({ input: 'int', output: 'int', action: 'input' })) as TrajanError;
    expect(e).toBeInstanceOf(TrajanError);
    expect([e.kind, e.code]).toEqual(['initialization', 'internal-error']);
    body.mockRestore();
    const proto = Compiler.prototype as unknown as { generic: (e: { k: string; value?: unknown }) => unknown };
    const real = proto.generic;
    vi.spyOn(proto, 'generic').mockImplementation(function (this: unknown, x) {
      if (x.k === 'literal' && x.value === 42) throw new TypeError('oops');
      return real.call(this, x);
    });
    const text = '{"input": "int", "output": "int",\n "action": {"+": [1, 42]}}';
    for (const backend of ['closures', 'specialized'] as const) {
      const at = thrown(() => loadPfa(text, { backend })) as TrajanError;
      expect([at.code, at.location?.pointer, at.location?.line]).toEqual(['internal-error', '/action/+/1', 2]);
    }
  });

  it('the JS stack running out becomes too-deep, not a RangeError', () => {
    // The parser's own nesting limit is raised far beyond what the stack can hold.
    const doc = { input: 'int', output: 'int', action: nested(200_000) };
    const e = thrown(() => loadPfa(doc, { limits: { maxDepth: 10_000_000 } }));
    expect(e).toBeInstanceOf(TrajanError);
    expect((e as TrajanError).code).toBe('too-deep');
    // With the default limit, the parser refuses the document first, also as too-deep.
    expect((thrown(() => checkPfaSource(doc)) as TrajanError).code).toBe('too-deep');
  });

  it('a deeply nested text document is a coded error as well', () => {
    const text = `{"input": "int", "output": "int", "action": ${'['.repeat(100_000)}1${']'.repeat(100_000)}}`;
    const e = thrown(() => loadPfa(text));
    expect(e).toBeInstanceOf(TrajanError);
    expect(typeof (e as TrajanError).code).toBe('string');
  });
});
