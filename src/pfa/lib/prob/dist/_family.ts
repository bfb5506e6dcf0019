/**
 * The shape every `prob.dist` distribution shares: a density (PDF, or log-likelihood for the
 * Gaussian), a CDF and a quantile function (QF), numbered consecutively from one error-code base
 * (density `base`, CDF `base + 10`, QF `base + 20`). Each function first checks the distribution's
 * parameters ("invalid parameterization", its code), then its first argument ("invalid input", its
 * code + 1), in that order as the reference engine (Titus) does, and only then evaluates.
 */
import { runtimeError } from '../../../../errors.js';
import { stdlib, type StdlibFn, type StdlibName } from '../../../../lazy-modules.js';
import type { FnDef } from '../../define.js';

/**
 * A distribution function of its point (`x` or `p`) and up to three parameters, all JS numbers
 * (`int` arguments arrive as numbers). Fixed arity rather than rest parameters keeps the per-call
 * wrappers below allocation-free.
 */
export type DistFn = (point: number, a: number, b: number, c: number) => number;
export type ParamCheck = (a: number, b: number, c: number) => boolean;

export interface Family {
  /** Local names of the density, CDF and QF (`gaussianLL`, `gaussianCDF`, `gaussianQF`). */
  readonly names: readonly [string, string, string];
  /** The error code of the density; the CDF uses base + 10 and the QF base + 20. */
  readonly base: number;
  /** Signatures of the density, CDF and QF, as in the specification. */
  readonly sigs: readonly [string, string, string];
  /** Whether the parameters are a valid parameterization (non-finite ones never are). */
  readonly valid: ParamCheck;
  /** A stricter check for the QF, where the specification excludes degenerate parameters. */
  readonly validQF?: ParamCheck;
  /** The density can only raise its parameterization error (its point is an `int`, always finite). */
  readonly densityAlwaysFinite?: boolean;
  /**
   * The density, CDF and QF. Called once, when a document using one of them is first checked or
   * compiled, because it loads their stdlib packages (lazy-modules.ts), which importing the
   * library does not.
   */
  readonly load: () => { readonly pdf: DistFn; readonly cdf: DistFn; readonly qf: DistFn };
}

/** The stdlib functions `kinds` of a distribution: `stdlibDist('beta', 'cdf')` is `@stdlib/stats-base-dists-beta-cdf`. */
export function stdlibDist<K extends string>(dist: string, ...kinds: K[]): Record<K, StdlibFn> {
  return Object.fromEntries(kinds.map((k) => [k, stdlib(`stats-base-dists-${dist}-${k}` as StdlibName)])) as Record<K, StdlibFn>;
}

export type Namespace = Record<string, FnDef>;

/** `x` must be finite: for densities and CDFs. */
function atPoint(name: string, code: number, valid: ParamCheck, f: DistFn): DistFn {
  return (x, a, b, c) => {
    if (!valid(a, b, c)) throw runtimeError(code, 'invalid parameterization', name);
    if (!Number.isFinite(x)) throw runtimeError(code + 1, 'invalid input', name);
    return f(x, a, b, c);
  };
}

/** `p` must be a probability (NaN is not): for quantile functions. */
function atProbability(name: string, code: number, valid: ParamCheck, f: DistFn): DistFn {
  return (p, a, b, c) => {
    if (!valid(a, b, c)) throw runtimeError(code, 'invalid parameterization', name);
    if (!(p >= 0 && p <= 1)) throw runtimeError(code + 1, 'invalid input', name);
    return f(p, a, b, c);
  };
}

/** The three library entries of a distribution family, validation included. */
export function defineFamily(fam: Family): Namespace {
  const [pdfName, cdfName, qfName] = fam.names;
  const [pdfSig, cdfSig, qfSig] = fam.sigs;
  const code = (offset: number) => fam.base + offset;
  const full = (local: string) => `prob.dist.${local}`;
  let loaded: ReturnType<Family['load']> | undefined;
  const impls = () => (loaded ??= fam.load());
  // Each entry is made per call site, so the load happens at compile time and scoring calls the
  // wrapper directly.
  return {
    [pdfName]: {
      sig: pdfSig,
      errors: fam.densityAlwaysFinite ? [code(0)] : [code(0), code(1)],
      make: () => atPoint(full(pdfName), code(0), fam.valid, impls().pdf),
    },
    [cdfName]: {
      sig: cdfSig,
      errors: [code(10), code(11)],
      make: () => atPoint(full(cdfName), code(10), fam.valid, impls().cdf),
    },
    [qfName]: {
      sig: qfSig,
      errors: [code(20), code(21)],
      make: () => atProbability(full(qfName), code(20), fam.validQF ?? fam.valid, impls().qf),
    },
  };
}
