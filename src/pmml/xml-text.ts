/**
 * Character data of the XML reader (xml-reader.ts): references, end-of-line and attribute-value
 * normalisation as XML 1.0 defines them, and line and column of an offset for error messages.
 *
 * Only the five predefined entities and character references exist: documents with a DOCTYPE are
 * refused before reading, so any other `&name;` is undeclared, which XML makes an error.
 */
import { PfaSyntaxError, type Location } from '../errors.js';

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Line and column (1-based, in UTF-16 code units) of `offset`; counts from the start, so only for errors. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export function syntaxError(text: string, offset: number, message: string): PfaSyntaxError {
  return new PfaSyntaxError('xml-syntax', `malformed XML: ${message}`, positionOf(text, offset) satisfies Location);
}

/** Whether code point `c` may appear in an XML 1.0 document. */
function isXmlChar(c: number): boolean {
  return (
    c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff)
  );
}

/**
 * `raw` (which starts at `offset` of `text`) with its references replaced. Called only when `raw`
 * holds an `&`; a bare `&`, an unknown entity and a reference to a character XML does not allow
 * are errors where the `&` is.
 */
export function decodeReferences(raw: string, text: string, offset: number): string {
  let out = '';
  let from = 0;
  for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
    const semi = raw.indexOf(';', amp + 1);
    if (semi === -1) throw syntaxError(text, offset + amp, "'&' does not start a reference (write &amp;)");
    const ref = raw.slice(amp + 1, semi);
    let value: string | undefined;
    if (ref.charCodeAt(0) === 0x23) {
      // #123 or #x7B
      const hex = ref.charCodeAt(1) === 0x78;
      const digits = ref.slice(hex ? 2 : 1);
      const code = (hex ? /^[0-9a-fA-F]{1,6}$/ : /^[0-9]{1,7}$/).test(digits) ? parseInt(digits, hex ? 16 : 10) : NaN;
      if (!isXmlChar(code)) throw syntaxError(text, offset + amp, `&${ref}; is not a character XML allows`);
      value = String.fromCodePoint(code);
    } else {
      value = Object.hasOwn(PREDEFINED, ref) ? PREDEFINED[ref] : undefined;
      if (value === undefined) throw syntaxError(text, offset + amp, `&${ref.slice(0, 40)}; is not a declared entity`);
    }
    out += raw.slice(from, amp) + value;
    from = semi + 1;
  }
  return out + raw.slice(from);
}

/** Line ends (CR LF, lone CR) read as LF, as XML does for character data. */
export function normalizeLineEnds(raw: string): string {
  return raw.replace(/\r\n?/g, '\n');
}

/** Attribute-value normalisation: each line end, tab or line feed written literally is one space. */
export function normalizeAttributeSpace(raw: string): string {
  return raw.replace(/\r\n|[\t\n\r]/g, ' ');
}
