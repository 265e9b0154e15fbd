/**
 * What can go wrong reading a rekordbox analysis file (ANLZ .DAT/.EXT/.2EX).
 * Tag decoders return a TagFault (they know the tag, not the file); the
 * reader turns it into an AnlzError whose message leads with the file name,
 * so a user can tell which export is damaged and re-export or re-analyse it.
 */
export type AnlzErrorCode =
  | 'unreadable' // the file could not be read from disk
  | 'not-anlz' // the file does not start with a usable PMAI header
  | 'broken-chain' // the chain of tags is cut short or a tag length is impossible
  | 'truncated' // a tag declares more entries or text than its bytes hold
  | 'bad-entry' // an entry inside a tag has the wrong fourcc or an impossible length
  | 'bad-grid'; // beat-grid values no analysis produces (beat in bar outside 1–4, time going backwards)

/** A problem found inside one tag, before anyone knows which file it came from. */
export class TagFault {
  readonly name = 'TagFault';

  constructor(
    readonly code: AnlzErrorCode,
    /** The tag's fourcc, e.g. "PQTZ". */
    readonly fourcc: string,
    /** What was wrong, as a phrase without the file name. */
    readonly detail: string,
  ) {}

  toString(): string {
    return `${this.fourcc} tag: ${this.detail}`;
  }
}

export class AnlzError extends Error {
  override readonly name = 'AnlzError';

  constructor(
    readonly code: AnlzErrorCode,
    /** The analysis file, as the caller named it. */
    readonly file: string,
    /** What was wrong, without the file name (it leads the message). */
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }

  static fromFault(file: string, fault: TagFault): AnlzError {
    return new AnlzError(fault.code, file, fault.toString());
  }
}

export function isTagFault(value: unknown): value is TagFault {
  return value instanceof TagFault;
}
