/**
 * Keeps the live mapping. A reload either swaps in a complete new mapping at
 * once or changes nothing: when the edited files are invalid, the previous
 * mapping keeps running and the errors are reported once (saving the same
 * broken file again does not repeat them). A reload that finds the mapping
 * that already runs changes nothing either.
 */
import type { MappingError } from './mapping-error';

export type Compiled<T> = { ok: true; value: T } | { ok: false; errors: readonly MappingError[] };

export interface ReloadReport<T> {
  /** 'unchanged': the files hold the mapping that already runs; 'unchanged-error': the same errors as last time, or a newer reload took over. */
  readonly kind: 'loaded' | 'rejected' | 'unchanged' | 'unchanged-error';
  readonly mapping: T | null;
  readonly errors: readonly MappingError[];
}

export class MappingReloader<T> {
  private current: T | null = null;
  private lastErrorText: string | null = null;
  private generation = 0;
  private closed = false;

  constructor(
    /** Reads and compiles the files; `generation` tells isCurrent() which reload this is. */
    private readonly load: (generation: number) => Promise<Compiled<T>>,
    /** Called with the new mapping after each successful swap. */
    private readonly onSwap: (next: T, previous: T | null) => void,
    private readonly onErrors: (errors: readonly MappingError[], keptPrevious: boolean) => void,
    /** True when `next` is the mapping that already runs (nothing to swap). */
    private readonly isSame: (next: T, current: T) => boolean = () => false,
  ) {}

  get mapping(): T | null {
    return this.current;
  }

  /** True while `generation` is the newest reload (a load may stop waiting when it is not). */
  isCurrent(generation: number): boolean {
    return !this.closed && generation === this.generation;
  }

  /** Loads the files again; concurrent calls resolve in order and only the newest result is applied. */
  async reload(): Promise<ReloadReport<T>> {
    const generation = ++this.generation;
    const result = await this.load(generation);
    if (!this.isCurrent(generation)) {
      return { kind: 'unchanged-error', mapping: this.current, errors: [] };
    }
    if (result.ok) {
      const previous = this.current;
      this.lastErrorText = null;
      if (previous !== null && this.isSame(result.value, previous)) return { kind: 'unchanged', mapping: previous, errors: [] };
      this.current = result.value;
      this.onSwap(result.value, previous);
      return { kind: 'loaded', mapping: result.value, errors: [] };
    }
    const text = result.errors.map(String).join('\n');
    if (text === this.lastErrorText) return { kind: 'unchanged-error', mapping: this.current, errors: result.errors };
    this.lastErrorText = text;
    this.onErrors(result.errors, this.current !== null);
    return { kind: 'rejected', mapping: this.current, errors: result.errors };
  }

  /** Reloads still under way when this is called change nothing. */
  close(): void {
    this.closed = true;
    this.generation++;
  }
}
