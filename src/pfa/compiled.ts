/**
 * A document compiled once, for any number of engines (`Program`, program.ts, is its public face).
 * Compiling is pure: the compiled sections reach an engine's state only through the program's
 * RuntimeLink, which each engine points at its own Runtime while it runs a call (compile/runtime.ts),
 * and constant models are read from the document's initial cell values, never an engine's. So a
 * second engine of the same program runs no compiler, builds no kernel and generates no code: it
 * makes its Runtime, fills its cells and pools and calls the action factory compiled here.
 */
import { converter } from '../avro/convert.js';
import { fits } from '../avro/fits.js';
import { validator } from '../avro/validate.js';
import { PfaInitializationError } from '../errors.js';
import { generatedAction, plainAction, type ActionFactory, type ActionShape, type CompiledSection } from './action-driver.js';
import type { Checked, CheckedBody, Section } from './check/checker.js';
import { headerOf, type DocumentHeader, type PfaDocument } from './ast.js';
import { Compiler } from './compile/compiler.js';
import { RuntimeLink } from './compile/runtime.js';
import { datumKernelCall } from './compile/specialize/call.js';
import { specialize } from './compile/specialize/index.js';
import { kernelModule } from './columnar/kernels.js';
import { columnarPlan, type Plan } from './columnar/plan.js';
import { recordScorer } from './columnar/record.js';

export type Backend = 'closures' | 'specialized';

/** The symbols each section defines besides the common ones, in the order an engine gives their values. */
const OWN_SYMBOLS: Record<Section, readonly string[]> = {
  begin: [],
  action: ['input', 'tally'],
  end: ['tally'],
  merge: ['tallyOne', 'tallyTwo'],
};

const COMMON_SYMBOLS = ['name', 'instance', 'metadata', 'actionsStarted', 'actionsFinished', 'version'] as const;

export function backendOption(backend: unknown): Backend {
  if (backend === undefined) return 'specialized';
  if (backend !== 'closures' && backend !== 'specialized')
    throw new PfaInitializationError('bad-option', `option backend must be "closures" or "specialized"`);
  return backend;
}

export class CompiledPfa {
  readonly link = new RuntimeLink();
  readonly sections: Partial<Record<Section, CompiledSection>> = {};
  /** How the columnar kernels score the action, if they can (specialised backend, WebAssembly present). */
  readonly plan: Plan | undefined;
  private readonly shape: ActionShape | undefined;
  /** Action factories with and without the input check, made when first asked for. */
  private readonly actions: [ActionFactory | undefined, ActionFactory | undefined] = [undefined, undefined];
  private inputTest: { readonly ok: (input: unknown) => boolean; readonly problem: (input: unknown) => string | undefined } | undefined;

  /** The document, less the expressions the code was compiled from. */
  readonly doc: DocumentHeader;

  constructor(
    checked: Checked,
    readonly backend: Backend,
  ) {
    this.doc = headerOf(checked.doc);
    const compiler = new Compiler(checked, this.link, backend === 'closures' ? undefined : specialize);
    for (const key of ['begin', 'action', 'end', 'merge'] as const) {
      const body = checked.sections[key];
      if (body) this.sections[key] = this.compileSection(checked.doc, compiler, key, body);
    }
    // The closure backend generates no code at all, so it has no plan (the plan's scorer is generated).
    const plan = backend === 'closures' ? undefined : columnarPlan(compiler.specializeContext);
    // The columnar kernels need WebAssembly; the per-record scorer of a plan does not.
    this.plan = plan && kernelModule() ? plan : undefined;
    const doc = checked.doc;
    const action = this.sections.action;
    if (action) {
      const rollback = [...doc.cells.values()].some((c) => c.rollback) || [...doc.pools.values()].some((p) => p.rollback);
      // actionsStarted and actionsFinished are the common slots 3 and 4.
      const counts = Object.values(this.sections).some((sec) => sec.common[3] >= 0 || sec.common[4] >= 0);
      this.shape = {
        method: doc.method,
        section: action,
        link: this.link,
        rollback,
        planned: plan && recordScorer(plan),
        direct: this.directAction(checked, action),
        begins: doc.begin.length > 0,
        counts,
      };
    }
    compiler.release();
  }

  private compileSection(doc: PfaDocument, compiler: Compiler, key: Section, body: CheckedBody): CompiledSection {
    const exprs = key === 'merge' ? (doc.merge ?? []) : doc[key];
    const to = key === 'action' && doc.method === 'emit' ? undefined : key === 'action' || key === 'merge' ? doc.output : undefined;
    let code = compiler.body(exprs, to);
    if (to && exprs.length === 0) code = () => null;
    // Only what the section reads is put in its frame: most actions read nothing but `input`.
    const slot = (n: string): number => {
      const s = body.predefined.get(n);
      return s && compiler.readSlots.has(s) ? s.index : -1;
    };
    const common = COMMON_SYMBOLS.map(slot) as [number, number, number, number, number, number];
    return { code, size: body.frame.size, common, own: OWN_SYMBOLS[key].map(slot), spare: undefined };
  }

  /**
   * The kernel a `map` action is, when its one expression is a call of a kernel of the input alone
   * (a tree or an ensemble over constant trees, call.ts's DatumKernelCall) that takes the input as it
   * is: then the action needs no frame, no Runtime and no budgets (the kernel runs none of them).
   */
  private directAction(checked: Checked, action: CompiledSection): ((input: unknown) => unknown) | undefined {
    const doc = checked.doc;
    if (doc.method !== 'map' || doc.action.length !== 1) return undefined;
    const call = datumKernelCall(action.code);
    if (call?.datum.k !== 'ref' || call.datum.name !== 'input') return undefined;
    const type = checked.info.get(call.datum)?.type;
    return type && converter(type, call.param) === undefined ? call.kernel : undefined;
  }

  /** The factory of engines' `action`, with or without the input check: one definition, made once per program. */
  action(checkInput: boolean): ActionFactory {
    const i = checkInput ? 1 : 0;
    return (this.actions[i] ??= (this.backend === 'closures' ? plainAction : generatedAction)(this.shape!, checkInput));
  }

  /**
   * The input check: a generated predicate (avro/fits.ts) under the specialised backend, the
   * closure validator under the closure backend; the validator also says what does not fit.
   */
  get input(): { readonly ok: (input: unknown) => boolean; readonly problem: (input: unknown) => string | undefined } {
    if (!this.inputTest) {
      const problem = validator(this.doc.input);
      const ok = this.backend === 'closures' ? (x: unknown) => problem(x) === undefined : fits(this.doc.input);
      this.inputTest = { ok, problem };
    }
    return this.inputTest;
  }
}
