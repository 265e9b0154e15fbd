/**
 * Keeps the live mapping. A reload either swaps in a complete new mapping at
 * once or changes nothing: when the edited files are invalid, the previous
 * mapping keeps running and the errors are reported once (saving the same
 * broken file again does not repeat them).
 */
import type { MappingError } from './mapping-error';

export type Compiled<T> = { ok: true; value: T } | { ok: false; errors: readonly MappingError[] };

export interface ReloadReport<T> {
  readonly kind: 'loaded' | 'rejected' | 'unchanged-error';
  readonly mapping: T | null;
  readonly errors: readonly MappingError[];
}

export class MappingReloader<T> {
  private current: T | null = null;
  private lastErrorText: string | null = null;
  private generation = 0;

  constructor(
    private readonly load: () => Promise<Compiled<T>>,
    /** Called with the new mapping after each successful swap. */
    private readonly onSwap: (next: T, previous: T | null) => void,
    private readonly onErrors: (errors: readonly MappingError[], keptPrevious: boolean) => void,
  ) {}

  get mapping(): T | null {
    return this.current;
  }

  /** Loads the files again; concurrent calls resolve in order and only the newest result is applied. */
  async reload(): Promise<ReloadReport<T>> {
    const generation = ++this.generation;
    const result = await this.load();
    if (generation !== this.generation) {
      return { kind: 'unchanged-error', mapping: this.current, errors: [] };
    }
    if (result.ok) {
      const previous = this.current;
      this.current = result.value;
      this.lastErrorText = null;
      this.onSwap(result.value, previous);
      return { kind: 'loaded', mapping: result.value, errors: [] };
    }
    const text = result.errors.map(String).join('\n');
    if (text === this.lastErrorText) return { kind: 'unchanged-error', mapping: this.current, errors: result.errors };
    this.lastErrorText = text;
    this.onErrors(result.errors, this.current !== null);
    return { kind: 'rejected', mapping: this.current, errors: result.errors };
  }
}
