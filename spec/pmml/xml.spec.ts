import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/pmml/xml.js';
import { PfaSyntaxError } from '../../src/errors.js';

describe('parseXml', () => {
  it('keeps element paths, lines and columns, and drops namespace prefixes', () => {
    const root = parseXml(
      '<?xml version="1.0"?>\n<p:PMML xmlns:p="http://www.dmg.org/PMML-4_4">\n  <p:Header/>\n  <p:DataDictionary><p:DataField name="a &amp; b"/></p:DataDictionary>\n</p:PMML>',
    );
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

  describe('limits, checked as the text is read', () => {
    const code = (text: string, limits?: Parameters<typeof parseXml>[1]): { code: unknown; location: unknown } => {
      try {
        parseXml(text, limits);
      } catch (e) {
        expect(e).toBeInstanceOf(PfaSyntaxError);
        return { code: (e as PfaSyntaxError).code, location: (e as PfaSyntaxError).location };
      }
      throw new Error('expected an error');
    };
    const nest = (depth: number): string => `<PMML>${'<a>'.repeat(depth - 1)}${'</a>'.repeat(depth - 1)}</PMML>`;

    it('accepts nesting at the depth limit and refuses one level more, at the start tag', () => {
      expect(parseXml(nest(1000)).children).toHaveLength(1);
      expect(code(nest(1001))).toEqual({ code: 'too-deep', location: { line: 1, column: 6 + 3 * 999 + 1 } });
      expect(code(nest(200_000)).code).toBe('too-deep');
      expect(parseXml(`<PMML>${'<a/>'.repeat(5000)}</PMML>`).children).toHaveLength(5000);
    });

    it('refuses long attributes and text, many elements and long documents', () => {
      expect(
        code(
          `<PMML>
<a v="${'x'.repeat(101)}"/></PMML>`,
          { maxAttributeLength: 100 },
        ),
      ).toEqual({ code: 'too-large', location: { line: 2, column: 6 } });
      expect(parseXml(`<PMML><a v='${'x'.repeat(100)}' w="'>"/></PMML>`, { maxAttributeLength: 100 }).children[0]!.attrs.w).toBe("'>");
      expect(code(`<PMML><a>${'1 '.repeat(60)}</a></PMML>`, { maxTextLength: 100 }).code).toBe('too-large');
      expect(code(`<PMML><a><![CDATA[${'1 '.repeat(60)}]]></a></PMML>`, { maxTextLength: 100 }).code).toBe('too-large');
      expect(code(`<PMML>${'<a/>'.repeat(10)}</PMML>`, { maxElements: 10 }).code).toBe('too-large');
      expect(parseXml(`<PMML>${'<a/>'.repeat(9)}</PMML>`, { maxElements: 10 }).children).toHaveLength(9);
      expect(code(`<PMML>${' '.repeat(100)}</PMML>`, { maxBytes: 100 }).code).toBe('too-large');
    });

    it('skips comments, CDATA and processing instructions', () => {
      const root = parseXml(`<?xml version="1.0"?><PMML><!-- <a><a><a> --><b><![CDATA[<c><c>]]></b><?pi <d> ?></PMML>`, { maxDepth: 2 });
      expect(root.children.map((c) => c.name)).toEqual(['b']);
    });
  });
});
