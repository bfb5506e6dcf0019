/**
 * PMML `Apply`: the built-in functions and user functions (`DefineFunction`), lowered to PFA.
 * Each built-in is one table entry: its result type and the PFA form over present argument values;
 * the entry says when missing arguments do not simply make the result missing.
 */
import type { XmlElement } from '../xml.js';
import { type LowerContext, Scope, lit, valueType, type FieldInfo, type ValueType } from './context.js';
import type { Pfa, Ref } from './builder.js';
import { convertValue, text, whenPresent, type LowerExpression, type Lowered } from './lowered.js';
import { presentValues } from './present.js';
import {
  convertDate,
  dateConstant,
  dateType,
  daysSinceYear,
  formatDatetime,
  isoText,
  parseDateValue,
  secondsSinceMidnight,
  secondsSinceYear,
  timestamp,
  type DateType,
} from './dates.js';

interface Builtin {
  /** Result type, given the argument types. */
  readonly type: (args: readonly ValueType[]) => ValueType;
  /** The PFA form over present values (symbols of the argument types). */
  readonly body: (vars: readonly Ref[], types: readonly ValueType[]) => Pfa;
  readonly arity?: readonly [min: number, max: number];
  /**
   * The types the arguments are converted to first, one for all or one per position (as JPMML
   * converts them: text that is not a number fails when scored); `common`, for comparisons, is
   * the type both sides share (a number when one is a number); absent where any type goes.
   */
  readonly args?: ValueType | readonly ValueType[] | 'common';
}

const num = (): ValueType => 'double';
const bool = (): ValueType => 'boolean';
const str = (): ValueType => 'string';

const unary = (fn: string): Builtin => ({ type: num, arity: [1, 1], args: 'double', body: ([a]) => ({ [fn]: [a] }) });
const binary = (op: string): Builtin => ({ type: num, arity: [2, 2], args: 'double', body: ([a, b]) => ({ [op]: [a, b] }) });
const compare = (op: string): Builtin => ({ type: bool, arity: [2, 2], args: 'common', body: ([a, b]) => ({ [op]: [a, b] }) });
/** n-ary numeric folds: (a op b) op c ... */
const fold = (op: string): Builtin => ({
  type: num,
  arity: [1, Infinity],
  args: 'double',
  body: (vs) => vs.slice(1).reduce<Pfa>((acc, v) => ({ [op]: [acc, v] }), { '+': [vs[0], 0.0] }),
});

const BUILTINS: Record<string, Builtin> = {
  '+': binary('+'),
  '-': binary('-'),
  '*': binary('*'),
  '/': binary('/'),
  pow: binary('**'),
  min: fold('min'),
  max: fold('max'),
  sum: fold('+'),
  product: fold('*'),
  avg: { type: num, arity: [1, Infinity], args: 'double', body: (vs) => ({ '/': [fold('+').body(vs, []) as Pfa, vs.length] }) },
  log10: unary('m.log10'),
  ln: unary('m.ln'),
  sqrt: unary('m.sqrt'),
  abs: unary('m.abs'),
  exp: unary('m.exp'),
  expm1: unary('m.expm1'),
  ln1p: unary('m.ln1p'),
  log1p: unary('m.ln1p'),
  sin: unary('m.sin'),
  cos: unary('m.cos'),
  tan: unary('m.tan'),
  asin: unary('m.asin'),
  acos: unary('m.acos'),
  atan: unary('m.atan'),
  sinh: unary('m.sinh'),
  cosh: unary('m.cosh'),
  tanh: unary('m.tanh'),
  atan2: binary('m.atan2'),
  hypot: binary('m.hypot'),
  floor: { type: num, arity: [1, 1], args: 'double', body: ([a]) => ({ 'm.floor': [a] }) },
  ceil: { type: num, arity: [1, 1], args: 'double', body: ([a]) => ({ 'm.ceil': [a] }) },
  // Java's Math.round, which PMML names: half-way cases go up.
  round: { type: num, arity: [1, 1], args: 'double', body: ([a]) => ({ 'm.floor': [{ '+': [a, 0.5] }] }) },
  rint: unary('m.rint'),
  threshold: { type: num, arity: [2, 2], args: 'double', body: ([a, b]) => ({ if: { '>': [a, b] }, then: 1.0, else: 0.0 }) },
  modulo: { type: num, arity: [2, 2], args: 'double', body: ([a, b]) => ({ '-': [a, { '*': [{ 'm.floor': [{ '/': [a, b] }] }, b] }] }) },
  erf: unary('m.special.erf'),
  stdNormalCDF: { type: num, arity: [1, 1], args: 'double', body: ([a]) => ({ 'prob.dist.gaussianCDF': [a, 0.0, 1.0] }) },
  stdNormalPDF: { type: num, arity: [1, 1], args: 'double', body: ([a]) => ({ 'm.exp': [{ 'prob.dist.gaussianLL': [a, 0.0, 1.0] }] }) },
  normalPDF: { type: num, arity: [3, 3], args: 'double', body: ([x, m, s]) => ({ 'm.exp': [{ 'prob.dist.gaussianLL': [x, m, s] }] }) },
  stdNormalIDF: { type: num, arity: [1, 1], args: 'double', body: ([a]) => ({ 'prob.dist.gaussianQF': [a, 0.0, 1.0] }) },
  normalCDF: { type: num, arity: [3, 3], args: 'double', body: ([x, m, s]) => ({ 'prob.dist.gaussianCDF': [x, m, s] }) },
  normalIDF: { type: num, arity: [3, 3], args: 'double', body: ([p, m, s]) => ({ 'prob.dist.gaussianQF': [p, m, s] }) },
  equal: compare('=='),
  notEqual: compare('!='),
  lessThan: compare('<'),
  lessOrEqual: compare('<='),
  greaterThan: compare('>'),
  greaterOrEqual: compare('>='),
  and: {
    type: bool,
    arity: [2, Infinity],
    args: 'boolean',
    body: (vs) => vs.slice(1).reduce<Pfa>((acc, v) => ({ '&&': [acc, v] }), vs[0]),
  },
  or: { type: bool, arity: [2, Infinity], args: 'boolean', body: (vs) => vs.slice(1).reduce<Pfa>((acc, v) => ({ '||': [acc, v] }), vs[0]) },
  not: { type: bool, arity: [1, 1], args: 'boolean', body: ([a]) => ({ '!': [a] }) },
  uppercase: { type: str, arity: [1, 1], args: 'string', body: ([a]) => ({ 's.upper': [a] }) },
  lowercase: { type: str, arity: [1, 1], args: 'string', body: ([a]) => ({ 's.lower': [a] }) },
  trimBlanks: { type: str, arity: [1, 1], args: 'string', body: ([a]) => ({ 's.strip': [a, { string: ' \t\n\r' }] }) },
  substring: {
    type: str,
    arity: [3, 3],
    args: ['string', 'double', 'double'],
    body: ([s, start, len]) => ({
      's.substr': [s, { '-': [{ 'cast.int': [start] }, 1] }, { '+': [{ '-': [{ 'cast.int': [start] }, 1] }, { 'cast.int': [len] }] }],
    }),
  },
  concat: {
    type: str,
    arity: [1, Infinity],
    body: (vs, ts) => vs.slice(1).reduce<Pfa>((acc, v, i) => ({ 's.concat': [acc, text(v, ts[i + 1]!)] }), text(vs[0]!, ts[0]!)),
  },
  replace: { type: str, arity: [3, 3], args: 'string', body: ([s, pattern, by]) => ({ 're.replaceall': [s, pattern, by] }) },
  matches: {
    type: bool,
    arity: [2, 2],
    args: 'string',
    body: ([s, pattern]) => ({ '!=': [{ 're.index': [s, pattern] }, { type: { type: 'array', items: 'int' }, value: [] }] }),
  },
  stringLength: { type: num, arity: [1, 1], args: 'string', body: ([s]) => ({ 'cast.double': [{ 's.len': [s] }] }) },
  // An even count takes the mean of the two middle values, as a.median does.
  median: {
    type: num,
    arity: [1, Infinity],
    args: 'double',
    body: (vs) => ({ 'a.median': [{ new: vs, type: { type: 'array', items: 'double' } }] }),
  },
};

/** The type two compared values share: a number when either is one, else text when either is text. */
function commonType(types: readonly ValueType[]): ValueType {
  if (types.includes('double')) return 'double';
  return types.includes('string') ? 'string' : 'boolean';
}

function missingTest(args: readonly Lowered[], present: boolean): Lowered {
  const v = args[0]!;
  return { type: 'boolean', pfa: { upcast: { if: { '==': [v.pfa, null] }, then: !present, else: present }, as: ['null', 'boolean'] } };
}

/** Functions applyFunction handles before its table of builtins, and how many arguments each takes. */
const SPECIAL: Readonly<Record<string, readonly [min: number, max: number]>> = {
  formatDatetime: [2, 2],
  dateDaysSinceYear: [2, 2],
  dateSecondsSinceYear: [2, 2],
  dateSecondsSinceMidnight: [1, 1],
  isMissing: [1, 1],
  isNotMissing: [1, 1],
  isValid: [1, 1],
  isNotValid: [1, 1],
  formatNumber: [2, 2],
  replace: [3, 3],
  if: [2, 3],
  isIn: [1, Infinity],
  isNotIn: [1, Infinity],
};

/** Whether an Apply `function` names a function of PMML that the lowering knows. */
export function isKnownFunction(name: string): boolean {
  return Object.hasOwn(SPECIAL, name) || Object.hasOwn(BUILTINS, name);
}

function checkArity(el: XmlElement, name: string, count: number, [min, max]: readonly [number, number], ctx: LowerContext): void {
  if (count < min || count > max) ctx.fail(el, 'pmml-invalid', `function ${name} does not take ${count} arguments`);
}

/** Lowers an Apply element. */
export function applyFunction(el: XmlElement, ctx: LowerContext, scope: Scope, lowerExpression: LowerExpression): Lowered {
  const name = ctx.attr(el, 'function');
  const argElements = el.children.filter((c) => c.name !== 'Extension');
  if (Object.hasOwn(SPECIAL, name)) checkArity(el, name, argElements.length, SPECIAL[name]!, ctx);
  let args = argElements.map((c) => lowerExpression(c, ctx, scope));
  // Comparing a date with text compares it with the date the text names, as the type's number.
  if (DATE_ALIGNED.has(name)) args = alignDates(argElements, args, ctx);
  switch (name) {
    case 'formatDatetime':
    case 'dateDaysSinceYear':
    case 'dateSecondsSinceYear':
    case 'dateSecondsSinceMidnight':
      return dateFunction(el, name, argElements, args, ctx);
    // Values reach expressions after the MiningSchema's invalid-value treatment, so a present value
    // counts as valid (one kept by invalidValueTreatment="asIs" too).
    case 'isMissing':
    case 'isNotValid':
      return missingTest(args, false);
    case 'isNotMissing':
    case 'isValid':
      return missingTest(args, true);
    case 'formatNumber':
      return formatNumber(el, args, ctx);
    case 'replace':
      if (argElements[2]?.name === 'Constant')
        args = [
          ...args.slice(0, 2),
          { type: 'string', pfa: lit.some('string', lit.string(javaReplacement(argElements[2], ctx))) },
          ...args.slice(3),
        ];
      break;
    case 'if':
      return lowerIf(args, ctx, argElements.slice(1).some(keepsState));
    case 'isIn':
    case 'isNotIn': {
      const [x, ...set] = args;
      const tests: Pfa[] = set.map((s) => ({ '==': [x!.pfa, s.pfa] }));
      const any = tests.length ? tests.reduce((a, b): Pfa => ({ '||': [a, b] })) : false;
      return whenPresentValue([x!], 'boolean', () => (name === 'isIn' ? any : { '!': [any] }), ctx);
    }
  }
  const user = callUser(el, name, args, ctx, lowerExpression);
  if (user) return user;
  const b = (Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined) ?? ctx.unsupported(el, `function ${JSON.stringify(name)}`);
  if (b.arity) checkArity(el, name, args.length, b.arity, ctx);
  if (b.args !== undefined) {
    const want = b.args === 'common' ? commonType(args.map((a) => a.type)) : b.args;
    args = args.map((a, i) => {
      const to = typeof want === 'string' ? want : want[i]!;
      return a.type === to ? a : { type: to, pfa: convertValue(a, to, ctx) };
    });
  }
  const types = args.map((a) => a.type);
  const type = b.type(types);
  const aggregate = Object.hasOwn(IGNORING_MISSING, name) ? IGNORING_MISSING[name] : undefined;
  if (aggregate && types.every((t) => t === 'double')) return aggregateOfPresent(aggregate, b, args, ctx);
  return {
    type,
    pfa: whenPresent(
      args.map((a) => a.pfa),
      type,
      (vars) => b.body(vars, types),
      ctx,
    ),
  };
}

/** The aggregate built-ins, which PMML says ignore missing arguments, and their PFA array functions. */
const IGNORING_MISSING: Partial<Record<string, string>> = {
  min: 'a.min',
  max: 'a.max',
  sum: 'a.sum',
  avg: 'a.mean',
  median: 'a.median',
  product: 'a.product',
};

/**
 * min, max, sum, avg, median, product over the arguments that are present, missing when none is:
 * the usual form when all are present (no array is built), else the array function over the
 * present ones. The arguments are bound first, so each is evaluated once.
 */
function aggregateOfPresent(fn: string, b: Builtin, args: readonly Lowered[], ctx: LowerContext): Lowered {
  const bound = args.map(() => ctx.symbol('arg'));
  const present = ctx.symbol('present');
  const some = (v: Pfa): Pfa => ({ upcast: v, as: ['null', 'double'] });
  const values = { new: bound, type: { type: 'array', items: ['null', 'double'] } };
  const partial: Pfa = {
    do: [
      { let: { [present]: presentValues(values, ctx) } },
      { if: { '==': [{ 'a.len': [present] }, 0] }, then: lit.missing('double'), else: some({ [fn]: [present] }) },
    ],
  };
  const vars = args.map(() => ctx.symbol('v'));
  const sum = some(
    b.body(
      vars,
      args.map(() => 'double'),
    ),
  );
  // One binding per form, nested, as whenPresent writes them (lowered.ts says why): missing as soon
  // as one argument is, and then the partial form looks at all of them.
  const whenAll = vars.reduceRight<Pfa>((then, v, i) => ({ ifnotnull: { [v]: bound[i]! }, then, else: lit.missing('double') }), sum);
  const total = ctx.symbol('all');
  const all = { ifnotnull: { [total]: whenAll }, then: some(total), else: partial };
  return { type: 'double', pfa: { do: [...bound.map((v, i) => ({ let: { [v]: args[i]!.pfa } })), all] } };
}

/**
 * `formatNumber(x, pattern)` with a constant printf pattern `%[-0][width][.precision]` and the
 * conversion `f` (fixed), `d` (a whole number) or `s` (as text); other patterns are reported.
 */
function formatNumber(el: XmlElement, args: readonly Lowered[], ctx: LowerContext): Lowered {
  const patternEl = el.children.filter((c) => c.name !== 'Extension')[1];
  const m = patternEl?.name === 'Constant' ? /^%(-?)(0?)(\d*)(?:\.(\d+))?([fds])$/.exec(patternEl.text.trim()) : null;
  if (args.length !== 2 || !m) return ctx.unsupported(el, 'formatNumber other than with a constant %f, %d or %s pattern');
  const [, left, zero, w, p, conversion] = m;
  const width = w ? (left ? -Number(w) : Number(w)) : null;
  const x = convertValue(args[0]!, 'double', ctx);
  const body = (v: Ref): Pfa => {
    if (conversion === 's') return text(v, 'double');
    if (conversion === 'd')
      return width === null ? { 's.int': [{ 'cast.long': [v] }] } : { 's.int': [{ 'cast.long': [v] }, width, zero === '0'] };
    return { 's.number': [v, width, p === undefined ? 6 : Number(p), 0.0, lit.double(Infinity)] };
  };
  return { type: 'string', pfa: whenPresent([x], 'string', ([v]) => body(v!), ctx) };
}

function whenPresentValue(args: readonly Lowered[], type: ValueType, body: () => Pfa, ctx: LowerContext): Lowered {
  return {
    type,
    pfa: whenPresent(
      args.map((a) => a.pfa),
      type,
      () => body(),
      ctx,
    ),
  };
}

/** Whether an expression holds a Lag or Aggregate, which must see every record to keep its history. */
function keepsState(el: XmlElement): boolean {
  return el.name === 'Lag' || el.name === 'Aggregate' || el.children.some(keepsState);
}

/**
 * `if(cond, then[, else])`: a missing condition gives a missing result; only the chosen branch
 * counts. Branches that keep state across records (`eager`) are evaluated on every record, before
 * the choice, so their histories miss no record.
 */
function lowerIf(args: readonly Lowered[], ctx: LowerContext, eager: boolean): Lowered {
  const [test, then, otherwise] = args;
  // Both branches give the type of the first: the other is converted (as a derived field's dataType would).
  const other =
    otherwise && otherwise.type !== then!.type ? { type: then!.type, pfa: convertValue(otherwise, then!.type, ctx) } : otherwise;
  // A condition that is not a boolean counts as one the way JPMML converts it: a number is true when not 0.
  const cond = test!.type === 'boolean' ? test! : { type: 'boolean' as const, pfa: convertValue(test!, 'boolean', ctx) };
  const type = then!.type;
  const c = ctx.symbol('c');
  const dataType = then!.dataType !== undefined && (!other || other.dataType === then!.dataType) ? { dataType: then!.dataType } : {};
  const branches = eager ? [then!, ...(other ? [other] : [])].map((b) => ({ ...b, symbol: ctx.symbol('branch') })) : [];
  const [yes, no] = eager ? branches.map((b) => b.symbol) : [then!.pfa, other?.pfa];
  const choice = { ifnotnull: { [c]: cond.pfa }, then: { if: c, then: yes, else: no ?? lit.missing(type) }, else: lit.missing(type) };
  const pfa = eager ? { do: [{ let: Object.fromEntries(branches.map((b) => [b.symbol, b.pfa])) }, choice] } : choice;
  return { type, ...dataType, pfa };
}

/** A DefineFunction's parameters: the scope its body is lowered in. */
class ParameterScope extends Scope {}

/**
 * SAS writes `<Constant>FMTWIDTH</Constant>` in its DefineFunctions where the parameter FMTWIDTH is
 * meant. Inside a DefineFunction, a Constant without a dataType whose text is exactly the name of
 * one of the function's parameters is read as a reference to that parameter.
 */
export function parameterReference(el: XmlElement, scope: Scope): FieldInfo | undefined {
  if (!(scope instanceof ParameterScope) || el.attrs.dataType !== undefined) return undefined;
  return scope.get(el.text.trim());
}

/** DefineFunctions not yet applied, by context; each is lowered at its first Apply. */
const pending = new WeakMap<LowerContext, Map<string, XmlElement>>();

/** Registers the document's DefineFunctions; each becomes a PFA user function when first applied. */
export function defineFunctions(defs: readonly XmlElement[], ctx: LowerContext): void {
  const byName = pending.get(ctx) ?? new Map<string, XmlElement>();
  pending.set(ctx, byName);
  for (const def of defs) byName.set(ctx.attr(def, 'name'), def);
}

/**
 * Lowers a DefineFunction into a user function over ["null", T] values. A ParameterField without a
 * dataType takes the type of the first call's argument (producers often leave it out).
 */
function lowerDefinition(def: XmlElement, args: readonly Lowered[], ctx: LowerContext, lowerExpression: LowerExpression): void {
  const name = ctx.attr(def, 'name');
  const params = def.children.filter((c) => c.name === 'ParameterField');
  if (params.length !== args.length) ctx.fail(def, 'pmml-invalid', `function ${name} takes ${params.length} arguments, not ${args.length}`);
  const scope = new ParameterScope();
  const fcn = ctx.symbol(`fn_${name}`);
  const paramInfo = params.map((p, i) => {
    const type: ValueType = p.attrs.dataType ? valueType(p.attrs.dataType) : args[i]!.type;
    const symbol = ctx.symbol(p.attrs.name ?? 'p');
    scope.define({
      name: ctx.attr(p, 'name'),
      symbol,
      type,
      optype: p.attrs.optype === 'continuous' || type === 'double' ? 'continuous' : 'categorical',
      dataType: p.attrs.dataType ?? type,
    });
    return { symbol, type };
  });
  const body =
    def.children.find((c) => c.name !== 'ParameterField' && c.name !== 'Extension') ??
    ctx.fail(def, 'pmml-invalid', 'DefineFunction needs an expression');
  const declared = def.attrs.dataType ? valueType(def.attrs.dataType) : undefined;
  // Registered before the body is lowered, so a function may call itself (with a declared type).
  if (declared) ctx.functions.set(name, { fcn, ret: declared, params: paramInfo.map((p) => p.type) });
  const low = lowerExpression(body, ctx, scope);
  const ret = declared ?? low.type;
  ctx.functions.set(name, { fcn, ret, params: paramInfo.map((p) => p.type) });
  ctx.fcns[fcn] = {
    params: paramInfo.map((p) => ({ [p.symbol]: ['null', p.type] })),
    ret: ['null', ret],
    do: convertValue(low, ret, ctx),
  };
}

/** A call of a DefineFunction, or undefined when `name` is not one. */
function callUser(
  el: XmlElement,
  name: string,
  args: readonly Lowered[],
  ctx: LowerContext,
  lowerExpression: LowerExpression,
): Lowered | undefined {
  const def = pending.get(ctx)?.get(name);
  if (!ctx.functions.has(name) && def) lowerDefinition(def, args, ctx, lowerExpression);
  const user = ctx.functions.get(name);
  if (!user) return undefined;
  const types = user.params ?? args.map((a) => a.type);
  if (types.length !== args.length) ctx.fail(el, 'pmml-invalid', `function ${name} takes ${types.length} arguments, not ${args.length}`);
  return { type: user.ret, pfa: { [`u.${user.fcn}`]: args.map((a, i) => convertValue(a, types[i]!, ctx)) } };
}

/**
 * `replace` follows Java's replaceAll, whose replacement text escapes with a backslash and refers to
 * groups with `$n`. PFA's re.replaceall inserts its replacement literally, so escapes are resolved
 * here; group references are reported at load (re.* lists only the groups that take part in a
 * match, so a group's number cannot be relied on).
 */
function javaReplacement(el: XmlElement, ctx: LowerContext): string {
  const text = el.text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      if (i + 1 >= text.length) ctx.fail(el, 'pmml-invalid', 'a replace replacement cannot end with a backslash');
      out += text[++i];
    } else if (ch === '$') return ctx.unsupported(el, 'replace with a group reference ($) in its replacement');
    else out += ch;
  }
  return out;
}

/** Functions whose arguments are brought to one date or time type when one of them has it. */
const DATE_ALIGNED = new Set([
  'equal',
  'notEqual',
  'lessThan',
  'lessOrEqual',
  'greaterThan',
  'greaterOrEqual',
  'isIn',
  'isNotIn',
  'min',
  'max',
  'if',
]);

/**
 * Arguments as values of the first date or time type among them: a text Constant is read as that
 * type's ISO-8601 text at load, other text at scoring time; another date type is converted.
 */
function alignDates(elements: readonly XmlElement[], args: readonly Lowered[], ctx: LowerContext): Lowered[] {
  const first = args.find((a) => dateType(a.dataType));
  if (!first) return [...args];
  const dataType = first.dataType!;
  const t = dateType(dataType)!;
  return args.map((a, i) => {
    const el = elements[i]!;
    if (a.dataType === dataType || (a.type === 'double' && a.dataType === undefined) || a.type === 'boolean') return a;
    if (el.name === 'Constant' && a.type === 'string' && el.attrs.missing !== 'true')
      return { type: 'double', dataType, pfa: lit.some('double', lit.double(dateConstant(ctx, el, el.text, t))) };
    return { type: 'double', dataType, pfa: toDate(a, dataType, ctx, el) };
  });
}

/** A lowered value as a value of a date or time type: text parsed, other date types converted, numbers as they are. */
function toDate(low: Lowered, dataType: string, ctx: LowerContext, el: XmlElement): Pfa {
  const to = dateType(dataType)!;
  if (low.type === 'boolean') return ctx.fail(el, 'pmml-invalid', `a boolean cannot be a ${dataType}`);
  if (low.type === 'string') return whenPresent([low.pfa], 'double', ([v]) => parseDateValue(ctx, to, v!), ctx);
  const from = dateType(low.dataType);
  if (!from || low.dataType === dataType) return low.pfa;
  return whenPresent([low.pfa], 'double', ([v]) => convertDate(ctx, el, from, to, v!), ctx);
}

/**
 * A lowered value as the value of a field of PMML `dataType` (a DerivedField's): value types
 * converted as convertValue does, and date and time types as toDate does; a date or time written
 * as text is ISO-8601.
 */
export function convertToDataType(low: Lowered, dataType: string, ctx: LowerContext, el: XmlElement): Pfa {
  if (dateType(dataType)) return toDate(low, dataType, ctx, el);
  const from = dateType(low.dataType);
  if (from?.calendar && valueType(dataType) === 'string') return whenPresent([low.pfa], 'string', ([v]) => isoText(ctx, el, from, v!), ctx);
  return convertValue(low, valueType(dataType), ctx);
}

/** The date of a date function's argument, or a located error when it is not a date or time. */
function dateOf(el: XmlElement, name: string, arg: Lowered | undefined, ctx: LowerContext): DateType {
  const t = arg && dateType(arg.dataType);
  return t ?? ctx.fail(el, 'pmml-invalid', `${name} needs a date, time or dateTime argument${arg ? '' : ', and has none'}`);
}

/**
 * formatDatetime, dateDaysSinceYear, dateSecondsSinceYear and dateSecondsSinceMidnight (dates.ts
 * holds the calendar arithmetic). The year and the pattern are usually constants, folded at load.
 */
function dateFunction(el: XmlElement, name: string, elements: readonly XmlElement[], args: readonly Lowered[], ctx: LowerContext): Lowered {
  const arity = name === 'dateSecondsSinceMidnight' ? 1 : 2;
  if (args.length !== arity) ctx.fail(el, 'pmml-invalid', `function ${name} does not take ${args.length} arguments`);
  const t = dateOf(el, name, args[0], ctx);
  if (name === 'formatDatetime') {
    const p = elements[1]!;
    if (p.name !== 'Constant') return ctx.unsupported(el, 'formatDatetime with a pattern that is not a Constant');
    const ts = ctx.symbol('ts');
    return {
      type: 'string',
      pfa: whenPresent(
        [args[0]!.pfa],
        'string',
        ([v]) => ({ do: [{ let: { [ts]: timestamp(t, v!) } }, formatDatetime(ctx, p, p.text, ts)] }),
        ctx,
      ),
    };
  }
  if (name === 'dateSecondsSinceMidnight')
    return { type: 'double', pfa: whenPresent([args[0]!.pfa], 'double', ([v]) => secondsSinceMidnight(t, v!), ctx) };
  const yearEl = elements[1]!;
  const year = convertValue(args[1]!, 'double', ctx);
  const constantYear = yearEl.name === 'Constant' ? Number(yearEl.text.trim()) : undefined;
  if (constantYear !== undefined && !Number.isInteger(constantYear))
    ctx.fail(yearEl, 'pmml-bad-value', `${name} needs a whole year, not ${JSON.stringify(yearEl.text)}`);
  const since = name === 'dateDaysSinceYear' ? daysSinceYear : secondsSinceYear;
  return { type: 'double', pfa: whenPresent([args[0]!.pfa, year], 'double', ([v, y]) => since(ctx, el, t, v!, y!, constantYear), ctx) };
}
