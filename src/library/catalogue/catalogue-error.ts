/**
 * What a user must act on when building, saving or loading a track
 * catalogue: one sentence that names the file or folder and the fix.
 */
export type CatalogueErrorCode =
  | 'no-export' // a folder holds no PIONEER/rekordbox/export.pdb
  | 'unreadable' // a file or folder cannot be read from disk
  | 'bad-catalogue' // a catalogue file is not JSON or not in the catalogue format
  | 'unwritable'; // the catalogue file cannot be written

export class CatalogueError extends Error {
  override readonly name = 'CatalogueError';

  constructor(
    readonly code: CatalogueErrorCode,
    message: string,
  ) {
    super(message);
  }
}
