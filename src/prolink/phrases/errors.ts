/**
 * Song-structure parse failures are values, never exceptions. Every parser in
 * this folder returns its result or a PhraseError.
 */
export type PhraseErrorCode =
  | 'too-short' // fewer bytes than the header or the declared length needs
  | 'bad-fourcc' // the tag or file does not start with the expected four characters
  | 'bad-length' // a length field is impossible (smaller than its header, or disagrees with the entries)
  | 'bad-entry-size' // len_entry_bytes is smaller than one phrase entry
  | 'bad-anlz'; // the ANLZ file's tag chain is broken

export class PhraseError {
  readonly name = 'PhraseError';

  constructor(
    readonly code: PhraseErrorCode,
    readonly message: string,
    /** Number of bytes the parser was given. */
    readonly length: number,
  ) {}

  toString(): string {
    return `PhraseError[${this.code}] (${this.length} bytes): ${this.message}`;
  }
}

export function isPhraseError(value: unknown): value is PhraseError {
  return value instanceof PhraseError;
}
