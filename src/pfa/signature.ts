/**
 * Library function signatures, written as short strings next to each implementation and parsed
 * once when the library is loaded.
 *
 * Grammar (labels are identifiers starting with an upper-case letter):
 *
 *   sig     := '(' [param (',' param)*] ')' '->' pattern
 *   param   := name ':' pattern
 *   pattern := 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string'
 *            | 'array' '<' pattern '>' | 'map' '<' pattern '>'
 *            | 'union' '<' pattern (',' pattern)* '>'
 *            | 'any' LABEL ['of' prim ('|' prim)*]        wildcard, binds LABEL
 *            | LABEL                                     same type as an earlier `any LABEL`
 *            | 'record' LABEL ['{' name ':' pattern (',' name ':' pattern)* '}']
 *            | 'enum' LABEL ['of' LABEL]                 `of D`: symbols are the fields of record D
 *            | 'fixed' LABEL
 *            | 'fn' '(' [pattern (',' pattern)*] ')' '->' pattern
 *
 * Example: `(x: any A of int|long|float|double, y: A) -> A`.
 */
import { isPrimitiveName, type PrimitiveKind } from '../avro/types.js';

export type Pattern =
  | { readonly p: 'prim'; readonly name: PrimitiveKind }
  | { readonly p: 'array'; readonly items: Pattern }
  | { readonly p: 'map'; readonly values: Pattern }
  | { readonly p: 'union'; readonly types: readonly Pattern[] }
  | { readonly p: 'wild'; readonly label: string; readonly of?: readonly PrimitiveKind[] }
  | { readonly p: 'record'; readonly label: string; readonly fields?: readonly { name: string; type: Pattern }[] }
  | { readonly p: 'enum'; readonly label: string; readonly ofRecord?: string }
  | { readonly p: 'fixed'; readonly label: string }
  | { readonly p: 'fn'; readonly params: readonly Pattern[]; readonly ret: Pattern };

export interface Param {
  readonly name: string;
  readonly type: Pattern;
}

export interface Signature {
  readonly params: readonly Param[];
  readonly ret: Pattern;
  /** The source text, for messages. */
  readonly text: string;
}

const TOKEN = /\s*(->|[A-Za-z_][A-Za-z0-9_]*|[()<>{},:|])/y;

class SigParser {
  private readonly tokens: string[] = [];
  private i = 0;

  constructor(private readonly text: string) {
    TOKEN.lastIndex = 0;
    let m: RegExpExecArray | null;
    while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text))) this.tokens.push(m[1]!);
    if (text.slice(TOKEN.lastIndex).trim() !== '') this.fail('unexpected character');
  }

  private fail(why: string): never {
    throw new Error(`bad signature ${JSON.stringify(this.text)}: ${why} at token ${this.i}`);
  }

  private peek(): string | undefined {
    return this.tokens[this.i];
  }

  private next(): string {
    const t = this.tokens[this.i++];
    if (t === undefined) this.fail('unexpected end');
    return t;
  }

  private expect(t: string): void {
    if (this.next() !== t) this.fail(`expected ${t}`);
  }

  private label(): string {
    const t = this.next();
    if (!/^[A-Z][A-Za-z0-9_]*$/.test(t)) this.fail(`expected a label, got ${t}`);
    return t;
  }

  signature(): Signature {
    this.expect('(');
    const params: Param[] = [];
    if (this.peek() !== ')') {
      for (;;) {
        const name = this.next();
        this.expect(':');
        params.push({ name, type: this.pattern() });
        if (this.peek() !== ',') break;
        this.next();
      }
    }
    this.expect(')');
    this.expect('->');
    const ret = this.pattern();
    if (this.i !== this.tokens.length) this.fail('trailing tokens');
    return { params, ret, text: this.text };
  }

  private list(close: string): Pattern[] {
    const out: Pattern[] = [];
    if (this.peek() === close) return out;
    for (;;) {
      out.push(this.pattern());
      if (this.peek() !== ',') return out;
      this.next();
    }
  }

  pattern(): Pattern {
    const t = this.next();
    if (isPrimitiveName(t)) return { p: 'prim', name: t };
    switch (t) {
      case 'array':
      case 'map': {
        this.expect('<');
        const inner = this.pattern();
        this.expect('>');
        return t === 'array' ? { p: 'array', items: inner } : { p: 'map', values: inner };
      }
      case 'union': {
        this.expect('<');
        const types = this.list('>');
        this.expect('>');
        return { p: 'union', types };
      }
      case 'any': {
        const label = this.label();
        if (this.peek() !== 'of') return { p: 'wild', label };
        this.next();
        const of: PrimitiveKind[] = [];
        for (;;) {
          const name = this.next();
          if (!isPrimitiveName(name)) this.fail(`not a primitive: ${name}`);
          of.push(name);
          if (this.peek() !== '|') break;
          this.next();
        }
        return { p: 'wild', label, of };
      }
      case 'record': {
        const label = this.label();
        if (this.peek() !== '{') return { p: 'record', label };
        this.next();
        const fields: { name: string; type: Pattern }[] = [];
        for (;;) {
          const name = this.next();
          this.expect(':');
          fields.push({ name, type: this.pattern() });
          if (this.peek() !== ',') break;
          this.next();
        }
        this.expect('}');
        return { p: 'record', label, fields };
      }
      case 'enum': {
        const label = this.label();
        if (this.peek() !== 'of') return { p: 'enum', label };
        this.next();
        return { p: 'enum', label, ofRecord: this.label() };
      }
      case 'fixed':
        return { p: 'fixed', label: this.label() };
      case 'fn': {
        this.expect('(');
        const params = this.list(')');
        this.expect(')');
        this.expect('->');
        return { p: 'fn', params, ret: this.pattern() };
      }
      default:
        if (/^[A-Z]/.test(t)) return { p: 'wild', label: t };
        this.fail(`unexpected ${t}`);
    }
  }
}

export function parseSignature(text: string): Signature {
  return new SigParser(text).signature();
}

export function patternToString(p: Pattern): string {
  switch (p.p) {
    case 'prim':
      return p.name;
    case 'array':
      return `array<${patternToString(p.items)}>`;
    case 'map':
      return `map<${patternToString(p.values)}>`;
    case 'union':
      return `union<${p.types.map(patternToString).join(', ')}>`;
    case 'wild':
      return p.of ? `any ${p.label} of ${p.of.join('|')}` : p.label;
    case 'record':
      return p.fields
        ? `record ${p.label} {${p.fields.map((f) => `${f.name}: ${patternToString(f.type)}`).join(', ')}}`
        : `record ${p.label}`;
    case 'enum':
      return p.ofRecord ? `enum ${p.label} of ${p.ofRecord}` : `enum ${p.label}`;
    case 'fixed':
      return `fixed ${p.label}`;
    case 'fn':
      return `fn(${p.params.map(patternToString).join(', ')}) -> ${patternToString(p.ret)}`;
  }
}
