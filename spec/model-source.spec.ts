/**
 * What the loaders take: text, the bytes of a file (UTF-8, with or without a byte-order mark) or,
 * for PFA, a parsed document. Bytes that are not UTF-8 are a coded error located where they start.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat, loadModel, loadPfa, loadPmml, PfaSyntaxError } from '../src/index.js';
import { thrown } from './thrown.js';

const PFA = '{"input": "double", "output": "double", "action": [{"+": ["input", 1]}]}';
const PMML = readFileSync(new URL('../examples/iris-tree.pmml', import.meta.url), 'utf8');
const IRIS = { 'sepal length': 5.1, 'sepal width': 3.5, 'petal length': 1.4, 'petal width': 0.2 };
const utf8 = (text: string) => new TextEncoder().encode(text);
const withBom = (bytes: Uint8Array) => Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]);

describe('loadModel sources', () => {
  it('scores a PFA document given as text, a Buffer, a Uint8Array or a parsed object', () => {
    for (const source of [PFA, Buffer.from(PFA), utf8(PFA), JSON.parse(PFA) as object]) {
      const model = loadModel<number, number>(source);
      expect(model.format).toBe('pfa');
      expect(model.score(1)).toBe(2);
    }
  });

  it('reads PMML from bytes, told apart by content', () => {
    const model = loadModel(Buffer.from(PMML));
    expect(model.format).toBe('pmml');
    expect(model.score(IRIS)).toMatchObject({ species: 'setosa' });
  });

  it('drops a byte-order mark from bytes and from text', () => {
    expect(loadModel<number, number>(withBom(utf8(PFA))).score(1)).toBe(2);
    expect(loadModel<number, number>(`\uFEFF${PFA}`).score(1)).toBe(2);
    expect(loadModel(withBom(utf8(PMML))).format).toBe('pmml');
    expect(loadPfa(withBom(utf8(PFA))).action(1)).toBe(2);
    expect(loadPmml(withBom(utf8(PMML))).score(IRIS)).toMatchObject({ species: 'setosa' });
  });

  it('keeps line and column of errors in a document given as bytes', () => {
    const e = thrown(() => loadModel(utf8('{"input": "double",\n "output": "double",\n "action": [{"nope": []}]}')));
    expect(e.code).toBe('unknown-function');
    expect(e.location).toMatchObject({ line: 3 });
  });

  it('reports bytes that are not UTF-8 as invalid-utf8 at the first bad character', () => {
    const bytes = Uint8Array.from([...utf8('{"input": "double",\n "output": "d'), 0xff, ...utf8('ouble"}')]);
    for (const load of [() => loadModel(bytes), () => loadPfa(bytes), () => loadPmml(bytes)]) {
      const e = thrown(load);
      expect(e).toBeInstanceOf(PfaSyntaxError);
      expect(e.code).toBe('invalid-utf8');
      expect(e.location).toEqual({ line: 2, column: 14 });
    }
  });

  it('locates a character cut off at the end, and counts columns after a byte-order mark as the text has them', () => {
    expect(thrown(() => loadModel(Uint8Array.from([...utf8('{"a": "é'), 0xc3]))).location).toEqual({ line: 1, column: 9 });
    expect(thrown(() => loadModel(withBom(Uint8Array.from([...utf8('{"a'), 0xe2, 0x28])))).location).toEqual({ line: 1, column: 4 });
  });

  it('detects the format of text, bytes and parsed documents', () => {
    expect(detectFormat(PMML)).toBe('pmml');
    expect(detectFormat(withBom(utf8(PMML)))).toBe('pmml');
    expect(detectFormat(PFA)).toBe('pfa');
    expect(detectFormat('input: double\n')).toBe('pfa');
    expect(detectFormat({ input: 'double' })).toBe('pfa');
  });
});
