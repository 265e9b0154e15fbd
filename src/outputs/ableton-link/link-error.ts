/** Why Ableton Link cannot run: the optional native module is missing or broken, or its process failed. */
export type LinkErrorCode = 'link-unavailable' | 'link-failed';

export class LinkError {
  constructor(
    readonly code: LinkErrorCode,
    /** One sentence a user can act on. */
    readonly message: string,
    /** The underlying error text, when there is one. */
    readonly cause: string | null = null,
  ) {}

  toString(): string {
    return `LinkError[${this.code}]: ${this.message}`;
  }
}
