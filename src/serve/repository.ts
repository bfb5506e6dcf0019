/**
 * The model repository: `ROOT/NAME/VERSION/model.{pfa,json,yaml,pmml}`, versions being whole
 * numbers. The newest version that loaded serves by default. The tree is polled (as TF Serving
 * does): a new or changed file is loaded and checked completely before it replaces the old
 * version in one assignment, so requests in flight finish on the model they started with, and a
 * document that fails to load is reported while the previous one keeps serving.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { loadModel, type ModelLoadOptions } from '../model.js';
import { IsolatedScorer } from './isolated.js';
import { ServedModel } from '../io/served-model.js';

/** Model file names in order of preference when a version folder holds more than one. */
export const MODEL_FILES = ['model.pfa', 'model.json', 'model.yaml', 'model.pmml'];

export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface VersionState {
  readonly version: string;
  readonly file: string;
  /** What the file looked like when last read: a change reloads it. */
  readonly stamp: string;
  /** The model serving this version; kept when a later edit fails to load. */
  readonly served?: ServedModel;
  /** Why the last load failed, if it did. */
  readonly error?: string;
}

const VERSION = /^\d+$/;
const byNewest = (a: VersionState, b: VersionState) => Number(b.version) - Number(a.version);

/** Whether `path` (resolved) is `root` (resolved) or inside it. `..data` is a name, not a step up. */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

export class ModelRepository {
  private models = new Map<string, Map<string, VersionState>>();
  private scanning: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watching = false;
  /** Whether the tree was read once: no readiness before. */
  scanned = false;
  /** Links already reported as leaving the root, so each is logged once and not every poll. */
  private readonly refused = new Set<string>();

  constructor(
    readonly root: string,
    private readonly log: Logger,
    private readonly loadOptions: ModelLoadOptions = {},
    /** Score each version in its own worker thread with this heap limit (MB); undefined: on the main thread. */
    private readonly isolateMemoryMb?: number,
  ) {}

  /** Reads the tree once: loads new and changed versions, drops removed ones. */
  refresh(): Promise<void> {
    this.scanning ??= this.scan().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  /**
   * Resolves a path in the tree, following symbolic links (Kubernetes mounts ConfigMaps as links
   * into a `..data` folder), and refuses, with one log line, any that resolves outside the root.
   */
  private async resolveInside(root: string, path: string): Promise<string | undefined> {
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      return undefined;
    }
    if (inside(root, real)) return real;
    if (!this.refused.has(path)) {
      this.refused.add(path);
      this.log.warn({ path: relative(this.root, path), target: real }, 'refused: a link in the model repository leads outside it');
    }
    return undefined;
  }

  /** Folders in `dir`, links to folders included; hidden names (`..data`, `.git`) are not models. */
  private async subfolders(root: string, dir: string): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const d of entries) {
      if (d.name.startsWith('.')) continue;
      if (d.isDirectory() && !d.isSymbolicLink()) {
        out.push(d.name);
      } else if (d.isSymbolicLink()) {
        const real = await this.resolveInside(root, join(dir, d.name));
        if (real && (await stat(real).catch(() => undefined))?.isDirectory()) out.push(d.name);
      }
    }
    return out;
  }

  private async modelFile(root: string, dir: string): Promise<{ file: string; stamp: string } | undefined> {
    for (const name of MODEL_FILES) {
      const file = join(dir, name);
      const real = await this.resolveInside(root, file);
      if (!real) continue;
      try {
        const s = await stat(real);
        // The target's identity is in the stamp: a ConfigMap update swaps the link, not the file.
        if (s.isFile()) return { file, stamp: `${s.mtimeMs}:${s.size}:${s.ino}:${real}` };
      } catch {
        // not this one
      }
    }
    return undefined;
  }

  private async scan(): Promise<void> {
    const next = new Map<string, Map<string, VersionState>>();
    let root: string;
    try {
      root = await realpath(this.root);
    } catch {
      root = this.root;
    }
    for (const name of (await this.subfolders(root, this.root)).sort()) {
      const versions = new Map<string, VersionState>();
      for (const version of await this.subfolders(root, join(this.root, name))) {
        if (!VERSION.test(version)) continue;
        const found = await this.modelFile(root, join(this.root, name, version));
        if (!found) continue;
        const old = this.models.get(name)?.get(version);
        versions.set(
          version,
          old && old.stamp === found.stamp && old.file === found.file ? old : await this.load(name, version, found.file, found.stamp, old),
        );
      }
      if (versions.size) next.set(name, versions);
    }
    for (const [name, versions] of this.models) {
      for (const version of versions.keys())
        if (!next.get(name)?.has(version)) this.log.info({ model: name, version }, 'model version removed');
    }
    const kept = new Set([...next.values()].flatMap((versions) => [...versions.values()].map((v) => v.served)));
    const previous = this.models;
    this.models = next;
    this.scanned = true;
    // Versions no longer served release their scoring thread once the requests they hold are done.
    for (const versions of previous.values()) for (const v of versions.values()) if (v.served && !kept.has(v.served)) void v.served.close();
  }

  private async load(name: string, version: string, file: string, stamp: string, old: VersionState | undefined): Promise<VersionState> {
    try {
      const text = await readFile(file, 'utf8');
      const model = loadModel(text, this.loadOptions);
      const remote =
        this.isolateMemoryMb !== undefined ? new IsolatedScorer(text, this.loadOptions, this.isolateMemoryMb, model) : undefined;
      this.log.info({ model: name, version, file, format: model.format }, old ? 'model version reloaded' : 'model version loaded');
      return { version, file, stamp, served: new ServedModel(model, name, version, remote) };
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.log.error(
        { model: name, version, file, error },
        old?.served ? 'model version failed to reload; the previous one keeps serving' : 'model version failed to load',
      );
      return { version, file, stamp, served: old?.served, error };
    }
  }

  /** Polls the tree every `intervalMs` milliseconds until `close`. */
  watch(intervalMs: number): void {
    this.watching = true;
    const tick = () => {
      if (!this.watching) return;
      this.timer = setTimeout(() => void this.refresh().finally(tick), intervalMs);
      this.timer.unref();
    };
    tick();
  }

  /** Stops polling and the scoring threads. */
  async close(): Promise<void> {
    this.watching = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([...this.models.values()].flatMap((versions) => [...versions.values()].map((v) => v.served?.close())));
  }

  names(): string[] {
    return [...this.models.keys()];
  }

  /** A model's versions, newest first (undefined for an unknown model). */
  versions(name: string): VersionState[] | undefined {
    const versions = this.models.get(name);
    return versions && [...versions.values()].sort(byNewest);
  }

  /** The model serving `name` at `version`, or at its newest loaded version. */
  resolve(name: string, version?: string): ServedModel | undefined {
    if (version !== undefined) return this.models.get(name)?.get(version)?.served;
    return this.versions(name)?.find((v) => v.served)?.served;
  }

  /**
   * Ready once the tree was read and some model serves; with `strict`, only when every model has a
   * version that serves. Not strict by default, so that one broken document does not take the
   * healthy models out of service: each model's own readiness says whether it serves.
   */
  ready(strict = false): boolean {
    const serving = this.names().filter((n) => this.resolve(n) !== undefined);
    return this.scanned && serving.length > 0 && (!strict || serving.length === this.models.size);
  }
}
