import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/pmml/xml.js';
import { PfaSyntaxError } from '../../src/errors.js';

describe('parseXml', () => {
  it('keeps element paths, lines and columns, and drops namespace prefixes', () => {
    const root = parseXml('<?xml version="1.0"?>\n<p:PMML xmlns:p="http://www.dmg.org/PMML-4_4">\n  <p:Header/>\n  <p:DataDictionary><p:DataField name="a &amp; b"/></p:DataDictionary>\n</p:PMML>');
    const field = root.children[1]!.children[0]!;
    expect(field.name).toBe('DataField');
    expect(field.attrs.name).toBe('a & b');
    expect(field.location).toEqual({ pointer: '/PMML/DataDictionary/DataField', line: 4, column: 21 });
  });

  it('rejects DOCTYPE and entity declarations before expanding anything', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${'&lol;'.repeat(10)}">`).join('')}]><PMML>&lol9;</PMML>`;
    expect(() => parseXml(laughs)).toThrow(PfaSyntaxError);
    try {
      parseXml(laughs);
    } catch (e) {
      expect((e as PfaSyntaxError).code).toBe('xml-doctype');
    }
  });

  it('reports malformed XML with a line and column', () => {
    try {
      parseXml('<PMML>\n  <Header>\n</PMML>');
      expect.unreachable();
    } catch (e) {
      expect((e as PfaSyntaxError).code).toBe('xml-syntax');
      expect((e as PfaSyntaxError).location?.line).toBeGreaterThan(1);
    }
  });

  it('requires a PMML root element', () => {
    expect(() => parseXml('<NotPMML/>')).toThrow(/no PMML root/);
  });
});
