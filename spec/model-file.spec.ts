/**
 * `loadModelFile`: the format comes from the content, and from the file name only when the content
 * does not say; a file that cannot be read is a coded error naming it.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFile, ModelFileError } from '../src/index.js';
import { thrown } from './thrown.js';

const example = (name: string) => fileURLToPath(new URL(`../examples/${name}`, import.meta.url));
const IRIS = { 'sepal length': 5.1, 'sepal width': 3.5, 'petal length': 1.4, 'petal width': 0.2 };

describe('loadModelFile', () => {
  let dir: string;
  const file = (name: string, content?: string | Uint8Array) => {
    const path = join(dir, name);
    if (content !== undefined) writeFileSync(path, content);
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trajan-model-file-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads PFA (JSON and YAML) and PMML files', () => {
    expect(loadModelFile(example('iris-tree.pfa.json')).format).toBe('pfa');
    expect(loadModelFile(example('logistic.pfa.yaml')).format).toBe('pfa');
    const pmml = loadModelFile(example('iris-tree.pmml'));
    expect(pmml.format).toBe('pmml');
    expect(pmml.score(IRIS)).toMatchObject({ species: 'setosa' });
  });

  it('goes by the content over the name, and drops a byte-order mark', () => {
    const misnamed = file('model.json');
    copyFileSync(example('iris-tree.pmml'), misnamed);
    expect(loadModelFile(misnamed).format).toBe('pmml');
    const bom = file('bom.pfa', '\uFEFF{"input": "double", "output": "double", "action": [{"*": ["input", 2]}]}');
    expect(loadModelFile<number, number>(bom).score(4)).toBe(8);
  });

  it('reads a file whose content does not say as its name says', () => {
    // Neither XML nor a JSON object: a .pmml file is reported as broken XML, anything else as PFA.
    expect(thrown(() => loadModelFile(file('broken.pmml', 'PMML version 4.4')))).toMatchObject({ code: 'xml-syntax' });
    expect(thrown(() => loadModelFile(file('empty.xml', '')))).toMatchObject({ code: 'xml-syntax' });
    expect(thrown(() => loadModelFile(file('broken.yaml', 'just words')))).toMatchObject({ code: 'not-an-object' });
    expect(loadModelFile<number, number>(file('model.txt', 'input: double\noutput: double\naction: [{"-": [input, 1]}]\n')).score(1)).toBe(
      0,
    );
  });

  it('passes the options on', () => {
    const model = loadModelFile(example('iris-tree.pmml'), { allowExtraFields: true });
    expect(model.score({ ...IRIS, id: 7 })).toMatchObject({ species: 'setosa' });
  });

  it('reports a missing file as file-not-found, naming the path', () => {
    const missing = join(dir, 'nowhere', 'model.pmml');
    const e = thrown(() => loadModelFile(missing));
    expect(e).toBeInstanceOf(ModelFileError);
    expect(e).toMatchObject({ kind: 'syntax', code: 'file-not-found', path: missing });
    expect(e.message).toContain(missing);
    expect(e.toJSON()).toMatchObject({ code: 'file-not-found', path: missing });
  });

  it('reports a directory as file-unreadable', () => {
    expect(thrown(() => loadModelFile(dir))).toMatchObject({ code: 'file-unreadable', path: dir });
  });

  it('refuses a file too large for the document limits before reading it', () => {
    const big = file('big.json', `{"input": "double", "output": "double", "action": [${'1, '.repeat(100)}1]}`);
    expect(thrown(() => loadModelFile(big, { documentLimits: { maxBytes: 50 } }))).toMatchObject({ code: 'too-large', path: big });
  });

  it('keeps a document error as the loaders report it', () => {
    const e = thrown(() => loadModelFile(file('bad.pfa.json', Uint8Array.from([0x7b, 0xff, 0x7d]))));
    expect(e).toMatchObject({ code: 'invalid-utf8', location: { line: 1, column: 2 } });
  });
});
