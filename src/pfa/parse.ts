/**
 * PFA document (JSON value) -> AST. Schemas are resolved here, against one name registry for the
 * whole document; expressions are read by their special-form keys. Every problem is a
 * PfaSyntaxError carrying the JSON pointer of the offending value.
 */
import { NameRegistry, SchemaError, parseSchema } from '../avro/schema.js';
import { T, type AvroType } from '../avro/types.js';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN } from '../avro/values.js';
import { JsonValueError, base64ToBytes, fromJson, fromOwnJson } from '../avro/json.js';
import { PfaSyntaxError } from '../errors.js';
import type { Arg, Binding, CellDef, Expr, FcnDef, FcnRef, Method, PathStep, PfaDocument, PoolDef } from './ast.js';
import { checkDocumentShape } from './document-schema.js';
import { DEFAULT_DOCUMENT_LIMITS, documentLimits, isOwnedDocument, knownWithoutLocators, type DocumentLimits } from './source.js';
import { asTrajanError } from './error-boundary.js';
import { CheckStopped, type Problems } from '../problems.js';
import { ERROR_DATA_TYPE } from './check/error-type.js';
import type { TrajanErrorCode } from '../error-codes.js';

type Json = unknown;
type JsonObject = Record<string, Json>;

export interface ParseLimits {
  /** Deepest expression nesting accepted (protects the parser's own stack from hostile documents). */
  readonly maxDepth: number;
}

const DEFAULT_LIMITS: ParseLimits = { maxDepth: 500 };

function isObject(x: Json): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function ptr(base: string, key: string | number): string {
  return `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function fail(code: TrajanErrorCode, message: string, at: string): never {
  throw new PfaSyntaxError(code, message, { pointer: at });
}

const SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FCN_NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*|[-+*/%<>=!&|^~]+|u-)$/;

/** The special-form keywords, each with the other keys its form may carry. */
const FORMS: Record<string, readonly string[]> = {
  int: [],
  long: [],
  float: [],
  double: [],
  string: [],
  base64: [],
  value: ['type'],
  new: ['type'],
  do: ['until'],
  let: [],
  set: [],
  if: ['then', 'else'],
  cond: ['else'],
  while: ['do'],
  for: ['while', 'step', 'do'],
  foreach: ['in', 'do', 'seq'],
  forkey: ['forval', 'in', 'do'],
  cast: ['cases', 'partial'],
  upcast: ['as'],
  ifnotnull: ['then', 'else'],
  pack: [],
  unpack: ['format', 'then', 'else'],
  doc: [],
  error: ['code'],
  try: ['filter'],
  log: ['namespace'],
  attr: ['path', 'to'],
  cell: ['path', 'to'],
  pool: ['path', 'to', 'init', 'del'],
  call: ['args'],
};

/** Keys that identify a form when the object has several keys (the first found wins). */
const PRIMARY = [
  'value',
  'new',
  'for',
  'foreach',
  'forkey',
  'while',
  'if',
  'cond',
  'cast',
  'upcast',
  'ifnotnull',
  'unpack',
  'error',
  'try',
  'log',
  'attr',
  'cell',
  'pool',
  'call',
  'do',
];

class Parser {
  private depth = 0;
  /** The JSON pointer of the expression being read, for errors that are not the parser's own. */
  at = '';

  constructor(
    readonly names: NameRegistry,
    private readonly limits: ParseLimits,
    /** JSON pointers of integral numbers the text wrote as doubles (`1.0`, `1e3`): see source.ts. */
    private readonly doubles: ReadonlySet<string> = new Set(),
    /** Deepest type schema: the document's own depth limit, which the engine is measured to load. */
    private readonly maxTypeDepth: number = DEFAULT_DOCUMENT_LIMITS.maxDepth,
    /** When given, a part that fails is recorded there and read as a stand-in of the error type (`check`). */
    readonly problems?: Problems,
  ) {}

  /** `run`, or its `fallback` once the problem is recorded when problems are collected. */
  part<R>(run: () => R, fallback: () => R, at: string): R {
    return this.problems ? this.problems.attempt(run, fallback, { pointer: at }) : run();
  }

  type(json: Json, at: string): AvroType {
    // Checked here too, for documents given to parsePfaDocument unmeasured: the engine generates
    // code along a type's structure (the input check), and a type that checks must also load.
    const max = this.maxTypeDepth;
    if (jsonDepth(json, max) > max) fail('too-deep', `type schema nested deeper than ${max}`, at);
    try {
      return parseSchema(json, this.names, undefined, '');
    } catch (e) {
      if (e instanceof SchemaError) fail('bad-schema', e.message, at + e.path);
      throw e;
    }
  }

  /** The runtime value of `json`; `own` when the value is the loader's own and is read only here (fromOwnJson). */
  value(type: AvroType, json: Json, at: string, own = false): unknown {
    try {
      return (own ? fromOwnJson : fromJson)(type, json, { useDefaults: true });
    } catch (e) {
      if (e instanceof JsonValueError) fail('bad-value', `value does not match its type: ${e.message}`, at + e.path);
      throw e;
    }
  }

  /** A body: a single expression or a JSON array of expressions. */
  body(json: Json, at: string): Expr[] {
    if (Array.isArray(json)) return json.map((x, i) => this.expr(x, ptr(at, i)));
    return [this.expr(json, at)];
  }

  expr(json: Json, at: string): Expr {
    this.at = at;
    if (++this.depth > this.limits.maxDepth) {
      this.depth--;
      fail('too-deep', `expressions nested deeper than ${this.limits.maxDepth}`, at);
    }
    try {
      // An expression that cannot be read stands in as a literal of the error type.
      return this.part(
        () => this.exprInner(json, at),
        (): Expr => ({ k: 'literal', type: ERROR_DATA_TYPE, value: null, at }),
        at,
      );
    } finally {
      this.depth--;
    }
  }

  private exprInner(json: Json, at: string): Expr {
    if (json === null) return { k: 'literal', type: T.null, value: null, at };
    switch (typeof json) {
      case 'boolean':
        return { k: 'literal', type: T.boolean, value: json, at };
      case 'number':
        return this.numberLiteral(json, at);
      case 'bigint':
        if (json < LONG_MIN || json > LONG_MAX) fail('bad-literal', 'integer too large for a long', at);
        return { k: 'literal', type: T.long, value: json, at };
      case 'string':
        return this.symbolOrPath(json, at);
      default:
        break;
    }
    if (Array.isArray(json)) {
      if (json.length === 1 && typeof json[0] === 'string') return { k: 'literal', type: T.string, value: json[0], at };
      fail('bad-expression', 'a JSON array is not an expression here (a string literal is ["text"])', at);
    }
    return this.form(json as JsonObject, at);
  }

  private numberLiteral(n: number, at: string): Expr {
    // A JSON number with a fraction or an exponent is a double, whatever its value.
    if (Number.isInteger(n) && !Object.is(n, -0) && !this.doubles.has(at)) {
      if (n >= INT_MIN && n <= INT_MAX) return { k: 'literal', type: T.int, value: n, at };
      if (Number.isSafeInteger(n)) return { k: 'literal', type: T.long, value: BigInt(n), at };
      fail('bad-literal', 'integer literal beyond 2^53 loses precision; write it as {"long": ...} in exact JSON', at);
    }
    return { k: 'literal', type: T.double, value: n, at };
  }

  private symbolOrPath(s: string, at: string): Expr {
    if (!s.includes('.')) {
      if (!SYMBOL.test(s)) fail('bad-symbol', `invalid symbol name ${JSON.stringify(s)}`, at);
      return { k: 'ref', name: s, at };
    }
    const [head, ...rest] = s.split('.');
    if (!SYMBOL.test(head!)) fail('bad-symbol', `invalid symbol name ${JSON.stringify(head)}`, at);
    const path: PathStep[] = rest.map((p) => {
      if (p === '') fail('bad-symbol', `invalid attribute path ${JSON.stringify(s)}`, at);
      if (/^-?\d+$/.test(p)) return { kind: 'expr', expr: { k: 'literal', type: T.int, value: Number(p), at } };
      return { kind: 'expr', expr: { k: 'literal', type: T.string, value: p, at } };
    });
    return { k: 'attr', expr: { k: 'ref', name: head!, at }, path, at };
  }

  private form(o: JsonObject, at: string): Expr {
    const keys = Object.keys(o);
    if (keys.length === 0) fail('bad-expression', 'an empty object is not an expression', at);
    // String marks were removed before parsing; what is left is not one.
    if ('@' in o) fail('bad-field', 'a locator mark "@" takes a string', ptr(at, '@'));
    const kw = PRIMARY.find((k) => k in o) ?? (keys.length === 1 ? keys[0]! : undefined);
    if (kw === undefined) fail('bad-expression', `cannot tell which form has keys ${keys.join(', ')}`, at);
    const allowed = FORMS[kw];
    if (allowed === undefined) {
      if (keys.length !== 1) fail('bad-expression', `a function call has exactly one key, found ${keys.join(', ')}`, at);
      return this.call(kw, o[kw], at);
    }
    for (const k of keys)
      if (k !== kw && !allowed.includes(k)) fail('unknown-field', `unexpected key "${k}" in a "${kw}" form`, ptr(at, k));
    const field = (k: string): Json => {
      if (!(k in o)) fail('missing-field', `"${kw}" form needs "${k}"`, at);
      return o[k];
    };
    const sub = (k: string) => ptr(at, k);
    switch (kw) {
      case 'int':
      case 'long':
      case 'float':
      case 'double':
        return this.typedNumber(kw, o[kw], sub(kw));
      case 'string':
        if (typeof o.string !== 'string') fail('bad-literal', '"string" literal must be a JSON string', sub('string'));
        return { k: 'literal', type: T.string, value: o.string, at };
      case 'base64': {
        if (typeof o.base64 !== 'string') fail('bad-literal', '"base64" literal must be a JSON string', sub('base64'));
        let value: Uint8Array;
        try {
          value = base64ToBytes(o.base64);
        } catch {
          fail('bad-literal', 'invalid base64', sub('base64'));
        }
        return { k: 'literal', type: T.bytes, value, at };
      }
      case 'value': {
        const type = this.type(field('type'), sub('type'));
        return { k: 'literal', type, value: this.value(type, o.value, sub('value')), at };
      }
      case 'new': {
        const type = this.type(field('type'), sub('type'));
        const v = o.new;
        if (Array.isArray(v)) return { k: 'new', type, items: v.map((x, i) => this.expr(x, ptr(sub('new'), i))), at };
        if (!isObject(v)) fail('bad-expression', '"new" takes an array or an object of expressions', sub('new'));
        return { k: 'new', type, items: new Map(Object.keys(v).map((key) => [key, this.expr(v[key], ptr(sub('new'), key))])), at };
      }
      case 'do':
        if ('until' in o) return { k: 'doUntil', body: this.body(o.do, sub('do')), cond: this.expr(o.until, sub('until')), at };
        return { k: 'do', body: this.body(o.do, sub('do')), at };
      case 'let':
      case 'set':
        return { k: kw, vars: this.bindings(o[kw], sub(kw)), at };
      case 'if':
        return {
          k: 'if',
          cond: this.expr(o.if, sub('if')),
          then: this.body(field('then'), sub('then')),
          ...('else' in o ? { else: this.body(o.else, sub('else')) } : {}),
          at,
        };
      case 'cond': {
        if (!Array.isArray(o.cond) || o.cond.length === 0)
          fail('bad-expression', '"cond" takes a non-empty array of "if" forms', sub('cond'));
        const clauses = o.cond.map((c, i) => {
          const cat = ptr(sub('cond'), i);
          if (!isObject(c) || !('if' in c) || !('then' in c) || Object.keys(c).length !== 2)
            fail('bad-expression', 'each "cond" clause is {"if": ..., "then": ...}', cat);
          return { cond: this.expr(c.if, ptr(cat, 'if')), then: this.body(c.then, ptr(cat, 'then')) };
        });
        return { k: 'cond', clauses, ...('else' in o ? { else: this.body(o.else, sub('else')) } : {}), at };
      }
      case 'while':
        return { k: 'while', cond: this.expr(o.while, sub('while')), body: this.body(field('do'), sub('do')), at };
      case 'for':
        return {
          k: 'for',
          init: this.bindings(o.for, sub('for')),
          cond: this.expr(field('while'), sub('while')),
          step: this.bindings(field('step'), sub('step')),
          body: this.body(field('do'), sub('do')),
          at,
        };
      case 'foreach': {
        const name = this.symbolName(o.foreach, sub('foreach'));
        const seq = o.seq ?? true;
        if (typeof seq !== 'boolean') fail('bad-field', '"seq" must be a boolean', sub('seq'));
        return { k: 'foreach', name, array: this.expr(field('in'), sub('in')), body: this.body(field('do'), sub('do')), seq, at };
      }
      case 'forkey':
        return {
          k: 'forkv',
          key: this.symbolName(o.forkey, sub('forkey')),
          value: this.symbolName(field('forval'), sub('forval')),
          map: this.expr(field('in'), sub('in')),
          body: this.body(field('do'), sub('do')),
          at,
        };
      case 'cast': {
        const cases = field('cases');
        if (!Array.isArray(cases)) fail('bad-expression', '"cases" must be an array', sub('cases'));
        const partial = o.partial ?? false;
        if (typeof partial !== 'boolean') fail('bad-field', '"partial" must be a boolean', sub('partial'));
        return {
          k: 'castCases',
          expr: this.expr(o.cast, sub('cast')),
          cases: cases.map((c, i) => {
            const cat = ptr(sub('cases'), i);
            if (!isObject(c) || !('as' in c) || !('named' in c) || !('do' in c))
              fail('bad-expression', 'each case is {"as": type, "named": name, "do": ...}', cat);
            return {
              as: this.type(c.as, ptr(cat, 'as')),
              name: this.symbolName(c.named, ptr(cat, 'named')),
              body: this.body(c.do, ptr(cat, 'do')),
              at: cat,
            };
          }),
          partial,
          at,
        };
      }
      case 'upcast':
        return { k: 'upcast', expr: this.expr(o.upcast, sub('upcast')), as: this.type(field('as'), sub('as')), at };
      case 'ifnotnull':
        return {
          k: 'ifnotnull',
          vars: this.bindings(o.ifnotnull, sub('ifnotnull')),
          then: this.body(field('then'), sub('then')),
          ...('else' in o ? { else: this.body(o.else, sub('else')) } : {}),
          at,
        };
      case 'pack': {
        if (!Array.isArray(o.pack)) fail('bad-expression', '"pack" takes an array of {format: expression}', sub('pack'));
        const items = o.pack.map((p, i) => {
          const pat = ptr(sub('pack'), i);
          if (!isObject(p) || Object.keys(p).length !== 1) fail('bad-expression', 'each "pack" item is {format: expression}', pat);
          const format = Object.keys(p)[0]!;
          return { format, expr: this.expr(p[format], ptr(pat, format)) };
        });
        return { k: 'pack', items, at };
      }
      case 'unpack': {
        const fmt = field('format');
        if (!Array.isArray(fmt)) fail('bad-expression', '"format" takes an array of {name: format}', sub('format'));
        const format = fmt.map((p, i) => {
          const pat = ptr(sub('format'), i);
          if (!isObject(p) || Object.keys(p).length !== 1 || typeof Object.values(p)[0] !== 'string')
            fail('bad-expression', 'each "format" item is {name: format}', pat);
          const name = Object.keys(p)[0]!;
          return { name: this.symbolName(name, pat), format: p[name] as string };
        });
        return {
          k: 'unpack',
          bytes: this.expr(o.unpack, sub('unpack')),
          format,
          then: this.body(field('then'), sub('then')),
          ...('else' in o ? { else: this.body(o.else, sub('else')) } : {}),
          at,
        };
      }
      case 'doc':
        if (typeof o.doc !== 'string') fail('bad-field', '"doc" takes a string', sub('doc'));
        return { k: 'doc', text: o.doc, at };
      case 'error': {
        if (typeof o.error !== 'string') fail('bad-field', '"error" takes a string message', sub('error'));
        const code = o.code;
        if (code !== undefined && (typeof code !== 'number' || !Number.isInteger(code)))
          fail('bad-field', '"code" must be an integer', sub('code'));
        return { k: 'error', message: o.error, ...(code !== undefined ? { code } : {}), at };
      }
      case 'try': {
        const filter = o.filter;
        if (filter !== undefined && (!Array.isArray(filter) || !filter.every((f) => typeof f === 'string' || typeof f === 'number')))
          fail('bad-field', '"filter" is an array of error messages or codes', sub('filter'));
        return { k: 'try', body: this.body(o.try, sub('try')), ...(filter ? { filter: filter as (string | number)[] } : {}), at };
      }
      case 'log': {
        const ns = o.namespace;
        if (ns !== undefined && typeof ns !== 'string') fail('bad-field', '"namespace" must be a string', sub('namespace'));
        const args = Array.isArray(o.log) ? o.log.map((x, i) => this.expr(x, ptr(sub('log'), i))) : [this.expr(o.log, sub('log'))];
        return { k: 'log', args, ...(ns !== undefined ? { namespace: ns } : {}), at };
      }
      case 'attr': {
        const expr = this.expr(o.attr, sub('attr'));
        const path = this.path(field('path'), sub('path'));
        if ('to' in o) return { k: 'attrTo', expr, path, to: this.arg(o.to, sub('to')), at };
        return { k: 'attr', expr, path, at };
      }
      case 'cell': {
        const name = this.stateName(o.cell, sub('cell'));
        const path = 'path' in o ? this.path(o.path, sub('path')) : [];
        if ('to' in o) return { k: 'cellTo', name, path, to: this.arg(o.to, sub('to')), at };
        return { k: 'cell', name, path, at };
      }
      case 'pool': {
        const name = this.stateName(o.pool, sub('pool'));
        if ('del' in o) {
          if ('to' in o || 'path' in o || 'init' in o) fail('bad-expression', '"pool"-"del" takes no other keys', at);
          return { k: 'poolDel', name, key: this.expr(o.del, sub('del')), at };
        }
        const path = this.path(field('path'), sub('path'));
        if (path.length === 0) fail('bad-expression', 'a pool path starts with the key', sub('path'));
        if ('to' in o) {
          return {
            k: 'poolTo',
            name,
            path,
            to: this.arg(o.to, sub('to')),
            ...('init' in o ? { init: this.expr(o.init, sub('init')) } : {}),
            at,
          };
        }
        if ('init' in o) fail('bad-expression', '"init" only goes with "to"', sub('init'));
        return { k: 'pool', name, path, at };
      }
      case 'call': {
        const args = field('args');
        if (!Array.isArray(args)) fail('bad-expression', '"args" must be an array', sub('args'));
        return {
          k: 'callDynamic',
          selector: this.expr(o.call, sub('call')),
          args: args.map((x, i) => this.arg(x, ptr(sub('args'), i))),
          at,
        };
      }
      default:
        return fail('bad-expression', `unknown form ${kw}`, at);
    }
  }

  private typedNumber(kind: 'int' | 'long' | 'float' | 'double', v: Json, at: string): Expr {
    const type = T[kind];
    if (kind === 'long') {
      const big = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
      if (big === undefined || big < LONG_MIN || big > LONG_MAX) fail('bad-literal', '"long" literal must be a 64-bit integer', at);
      return { k: 'literal', type, value: big, at };
    }
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number') fail('bad-literal', `"${kind}" literal must be a JSON number`, at);
    if (kind === 'int') {
      if (!Number.isInteger(n) || n < INT_MIN || n > INT_MAX) fail('bad-literal', '"int" literal must be a 32-bit integer', at);
      return { k: 'literal', type, value: n, at };
    }
    if (kind === 'float') {
      const f = Math.fround(n);
      if (Number.isFinite(n) && !Number.isFinite(f)) fail('bad-literal', '"float" literal is too large for 32 bits', at);
      return { k: 'literal', type, value: f, at };
    }
    return { k: 'literal', type, value: n, at };
  }

  private symbolName(v: Json, at: string): string {
    if (typeof v !== 'string' || !SYMBOL.test(v)) fail('bad-symbol', `invalid symbol name ${JSON.stringify(v)}`, at);
    return v;
  }

  private stateName(v: Json, at: string): string {
    if (typeof v !== 'string' || v === '') fail('bad-field', 'cell and pool names are non-empty strings', at);
    return v;
  }

  private bindings(v: Json, at: string): Binding[] {
    if (!isObject(v)) fail('bad-expression', 'expected an object of name: expression', at);
    return Object.keys(v).map((name) => [this.symbolName(name, ptr(at, name)), this.expr(v[name], ptr(at, name))] as const);
  }

  private path(v: Json, at: string): PathStep[] {
    if (!Array.isArray(v)) fail('bad-expression', '"path" must be an array of expressions', at);
    return v.map((x, i) => ({ kind: 'expr', expr: this.expr(x, ptr(at, i)) }));
  }

  arg(json: Json, at: string): Arg {
    if (isObject(json)) {
      if ('fcn' in json) return this.fcnRef(json, at);
      if ('params' in json) return this.fcnDef(json, at);
    }
    return this.expr(json, at);
  }

  private fcnRef(o: JsonObject, at: string): FcnRef {
    for (const k of Object.keys(o))
      if (k !== 'fcn' && k !== 'fill') fail('unknown-field', `unexpected key "${k}" in a function reference`, ptr(at, k));
    if (typeof o.fcn !== 'string' || !FCN_NAME.test(o.fcn)) fail('bad-field', '"fcn" takes a function name', ptr(at, 'fcn'));
    if (o.fill === undefined) return { k: 'fcnref', name: o.fcn, at };
    const fill = o.fill;
    if (!isObject(fill)) fail('bad-field', '"fill" takes an object of parameter: expression', ptr(at, 'fill'));
    return { k: 'fcnref', name: o.fcn, fill: new Map(Object.keys(fill).map((p) => [p, this.expr(fill[p], ptr(ptr(at, 'fill'), p))])), at };
  }

  fcnDef(o: JsonObject, at: string): FcnDef {
    for (const k of Object.keys(o))
      if (k !== 'params' && k !== 'ret' && k !== 'do') fail('unknown-field', `unexpected key "${k}" in a function definition`, ptr(at, k));
    if (!Array.isArray(o.params)) fail('bad-field', '"params" takes an array of {name: type}', ptr(at, 'params'));
    if (!('ret' in o)) fail('missing-field', 'a function definition needs "ret"', at);
    if (!('do' in o)) fail('missing-field', 'a function definition needs "do"', at);
    const seen = new Set<string>();
    const params = o.params.map((p, i) => {
      const pat = ptr(ptr(at, 'params'), i);
      if (!isObject(p) || Object.keys(p).length !== 1) fail('bad-field', 'each parameter is {name: type}', pat);
      const name = this.symbolName(Object.keys(p)[0], pat);
      if (seen.has(name)) fail('bad-field', `parameter ${name} appears twice`, pat);
      seen.add(name);
      return { name, type: this.type(p[name], ptr(pat, name)) };
    });
    return { k: 'fcndef', params, ret: this.type(o.ret, ptr(at, 'ret')), body: this.body(o.do, ptr(at, 'do')), at };
  }

  private call(fn: string, args: Json, at: string): Expr {
    if (!FCN_NAME.test(fn)) fail('bad-expression', `${JSON.stringify(fn)} is neither a special form nor a function name`, at);
    const sub = ptr(at, fn);
    const list = Array.isArray(args) ? args.map((x, i) => this.arg(x, ptr(sub, i))) : [this.arg(args, sub)];
    return { k: 'call', fn, args: list, at };
  }
}

/** The nesting depth of a JSON value (a scalar is 0), counted without recursion and only up to just past `limit`. */
function jsonDepth(json: Json, limit: number): number {
  let max = 0;
  const stack: [Json, number][] = [[json, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (d + 1 > max) max = d + 1;
    if (max > limit) return max;
    for (const v of Array.isArray(x) ? x : Object.values(x)) if (typeof v === 'object' && v !== null) stack.push([v, d + 1]);
  }
  return max;
}

/**
 * Registers every named-type definition found in the document as pending, so a schema may refer
 * to a type defined later in the document (the specification leaves member order free). The initial
 * values of cells and pools are data, not types: they are not searched (they are most of a large
 * model, and a record there that looks like a definition is not one). Iterative: the document's
 * depth is not limited yet when this runs.
 */
function collectNamedTypes(json: Json, names: NameRegistry): void {
  const stack: [Json, string | undefined][] = [];
  if (!isObject(json)) return;
  for (const key of Object.keys(json)) {
    const member = json[key];
    if ((key !== 'cells' && key !== 'pools') || !isObject(member)) {
      stack.push([member, undefined]);
      continue;
    }
    for (const def of Object.values(member)) {
      if (!isObject(def)) continue;
      for (const k of Object.keys(def)) if (k !== 'init') stack.push([def[k], undefined]);
    }
  }
  while (stack.length > 0) {
    const [x, ns] = stack.pop()!;
    if (Array.isArray(x)) {
      // Only containers can hold a definition: numbers of a large array are not pushed one by one.
      for (let i = x.length - 1; i >= 0; i--) if (typeof x[i] === 'object' && x[i] !== null) stack.push([x[i], ns]);
      continue;
    }
    if (!isObject(x)) continue;
    let inner = ns;
    if ((x.type === 'record' || x.type === 'enum' || x.type === 'fixed' || x.type === 'error') && typeof x.name === 'string') {
      const explicitNs = typeof x.namespace === 'string' ? x.namespace : undefined;
      const qualifiedNs = x.name.includes('.') ? x.name.slice(0, x.name.lastIndexOf('.')) : (explicitNs ?? ns);
      const full = x.name.includes('.') ? x.name : qualifiedNs ? `${qualifiedNs}.${x.name}` : x.name;
      names.addPending(full, x, qualifiedNs);
      inner = qualifiedNs;
    }
    const keys = Object.keys(x);
    for (let i = keys.length - 1; i >= 0; i--) {
      const v = x[keys[i]!];
      if (typeof v === 'object' && v !== null) stack.push([v, inner]);
    }
  }
}

/**
 * The document without its locator marks: members named "@" with a string value, which the
 * specification allows in any object (schemas and embedded data included) and which carry no
 * meaning for the engine. Objects are copied only on the way to a mark; a document without marks
 * is returned as it is. Removing object members changes no other member's JSON pointer.
 */
function stripLocators(json: Json): Json {
  const marked = (x: Json): boolean => isObject(x) && typeof x['@'] === 'string';
  if (knownWithoutLocators(json) || !hasLocator(json)) return json;
  // Second pass: copy every container (iteratively), leaving the marks out.
  const copy = (x: Json): Json => (Array.isArray(x) ? x.slice() : isObject(x) ? { ...x } : x);
  const root = copy(json);
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        if (typeof x[i] === 'object' && x[i] !== null) stack.push((x[i] = copy(x[i])));
      }
    } else if (isObject(x)) {
      if (marked(x)) delete x['@'];
      for (const k of Object.keys(x)) {
        if (typeof x[k] === 'object' && x[k] !== null) stack.push((x[k] = copy(x[k])));
      }
    }
  }
  return root;
}

/** Whether any object of the document has a locator mark (the common case is no). One pass, with no allocation but its stack. */
function hasLocator(json: Json): boolean {
  const stack: object[] = [];
  let x: unknown = json;
  for (;;) {
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        const y: unknown = x[i];
        if (typeof y === 'object' && y !== null) stack.push(y);
      }
    } else if (typeof x === 'object' && x !== null) {
      const o = x as Record<string, unknown>;
      if (typeof o['@'] === 'string') return true;
      for (const k in o) {
        const y = o[k];
        if (typeof y === 'object' && y !== null && Object.hasOwn(o, k)) stack.push(y);
      }
    }
    if (stack.length === 0) return false;
    x = stack.pop();
  }
}

export interface ParseOptions {
  readonly limits?: Partial<ParseLimits>;
  /** Size and depth of the document as read (text or value), measured before anything recursive reads it. */
  readonly documentLimits?: Partial<DocumentLimits>;
}

/**
 * Reads a PFA document given as a JSON value. `doubles` holds the JSON pointers of integral
 * numbers the source text wrote as doubles (`1.0`), as `parseSource` reports them.
 */
export function parsePfaDocument(
  source: Json,
  options: ParseOptions = {},
  doubles?: ReadonlySet<string>,
  problems?: Problems,
): PfaDocument {
  let parser: Parser | undefined;
  try {
    return parseDocument(stripLocators(source), options, doubles, (p) => (parser = p), problems);
  } catch (e) {
    if (e instanceof CheckStopped) throw e;
    throw asTrajanError(e, 'parse', parser ? { pointer: parser.at } : undefined);
  }
}

/**
 * With `problems`, each part (a type, a cell's type and its init, a pool, a function, each
 * expression) is read on its own: one that fails is recorded and stands in with the error type.
 */
function parseDocument(
  json: Json,
  options: ParseOptions,
  doubles: ReadonlySet<string> | undefined,
  started: (p: Parser) => void,
  problems?: Problems,
): PfaDocument {
  if (!isObject(json)) fail('not-an-object', 'a PFA document is a JSON object', '');
  const shape = checkDocumentShape(json);
  if (shape) fail(shape.code, shape.message, shape.pointer);
  const names = new NameRegistry();
  collectNamedTypes(json, names);
  const p = new Parser(names, { ...DEFAULT_LIMITS, ...options.limits }, doubles, documentLimits(options.documentLimits).maxDepth, problems);
  started(p);
  const broken = () => ERROR_DATA_TYPE;
  const typeOf = (schema: Json, at: string) => p.part(() => p.type(schema, at), broken, at);

  const input = typeOf(json.input, '/input');
  const output = typeOf(json.output, '/output');
  const method = (json.method ?? 'map') as Method;

  // Initial values are read once each: in a document of the loader's own, they become the runtime values in place.
  const own = isOwnedDocument(json);
  const cells = new Map<string, CellDef>();
  const cellsJson = (json.cells ?? {}) as Record<string, JsonObject>;
  for (const name of Object.keys(cellsJson)) {
    const c = cellsJson[name]!;
    const at = ptr('/cells', name);
    const type = p.part(
      () => {
        if ('source' in c) fail('unsupported', 'external cell sources are not supported; embed the value in "init"', ptr(at, 'source'));
        return typeOf(c.type, ptr(at, 'type'));
      },
      broken,
      at,
    );
    const init =
      type === ERROR_DATA_TYPE
        ? null
        : p.part(
            () => p.value(type, c.init, ptr(at, 'init'), own),
            () => null,
            ptr(at, 'init'),
          );
    cells.set(name, { type, init, shared: c.shared === true, rollback: c.rollback === true, at });
  }
  const pools = new Map<string, PoolDef>();
  const poolsJson = (json.pools ?? {}) as Record<string, JsonObject>;
  for (const name of Object.keys(poolsJson)) {
    const c = poolsJson[name]!;
    const at = ptr('/pools', name);
    const type = p.part(
      () => {
        if ('source' in c) fail('unsupported', 'external pool sources are not supported; embed the values in "init"', ptr(at, 'source'));
        return typeOf(c.type, ptr(at, 'type'));
      },
      broken,
      at,
    );
    const initJson = (c.init ?? {}) as JsonObject;
    const item = (k: string) =>
      type === ERROR_DATA_TYPE
        ? null
        : p.part(
            () => p.value(type, initJson[k], ptr(ptr(at, 'init'), k), own),
            () => null,
            ptr(ptr(at, 'init'), k),
          );
    const init = new Map(Object.keys(initJson).map((k) => [k, item(k)]));
    pools.set(name, { type, init, shared: c.shared === true, rollback: c.rollback === true, at });
  }

  const fcns = new Map<string, FcnDef>();
  const fcnsJson = (json.fcns ?? {}) as Record<string, JsonObject>;
  for (const name of Object.keys(fcnsJson)) {
    const at = ptr('/fcns', name);
    // A function that cannot be read still has its name: calls of it are not unknown, only unchecked.
    const def = p.part(
      () => {
        if (!FCN_NAME.test(name)) fail('bad-field', `invalid function name ${JSON.stringify(name)}`, at);
        return p.fcnDef(fcnsJson[name]!, at);
      },
      (): FcnDef => ({ k: 'fcndef', params: [], ret: ERROR_DATA_TYPE, body: [], at }),
      at,
    );
    fcns.set(name, def);
  }

  const exprs = (key: 'begin' | 'action' | 'end' | 'merge'): Expr[] => (key in json ? p.body(json[key], `/${key}`) : []);
  let zero: unknown;
  const check = (at: string, test: () => void) => p.part(test, () => undefined, at);
  if (method === 'fold') {
    check('', () => {
      if (!('zero' in json)) fail('missing-field', 'a fold engine needs "zero"', '');
    });
    check('', () => {
      if (!('merge' in json)) fail('missing-field', 'a fold engine needs "merge"', '');
    });
    zero =
      output === ERROR_DATA_TYPE
        ? null
        : p.part(
            () => p.value(output, json.zero, '/zero'),
            () => null,
            '/zero',
          );
  } else {
    check('/zero', () => {
      if ('zero' in json) fail('unknown-field', '"zero" only goes with method "fold"', '/zero');
    });
    check('/merge', () => {
      if ('merge' in json) fail('unknown-field', '"merge" only goes with method "fold"', '/merge');
    });
  }
  const name = typeof json.name === 'string' ? json.name : 'Engine';
  return {
    name,
    method,
    input,
    output,
    begin: exprs('begin'),
    action: exprs('action'),
    end: exprs('end'),
    fcns,
    ...(method === 'fold' ? { zero, merge: exprs('merge') } : {}),
    cells,
    pools,
    ...(typeof json.randseed === 'number' ? { randseed: json.randseed } : {}),
    ...(typeof json.doc === 'string' ? { doc: json.doc } : {}),
    ...(typeof json.version === 'number' ? { version: json.version } : {}),
    metadata: (json.metadata ?? {}) as Record<string, string>,
    options: (json.options ?? {}) as Record<string, unknown>,
    names,
  };
}
