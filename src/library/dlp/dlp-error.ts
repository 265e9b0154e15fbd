/**
 * Why a Device Library Plus database (PIONEER/rekordbox/exportLibrary.db)
 * was not read: one sentence naming the file or the package, and the fix.
 */
export type DeviceLibraryErrorCode =
  | 'no-key' // the database is there but no key was given
  | 'module-missing' // the optional SQLCipher module is not installed
  | 'module-broken' // it is installed but does not load or run
  | 'wrong-key' // the key does not open the file (or it is not a SQLCipher 4 database)
  | 'damaged' // the file opens but is cut short or corrupt
  | 'unreadable' // the file cannot be read from disk
  | 'bad-schema'; // the database lacks a table or column this reader needs

export class DeviceLibraryError extends Error {
  override readonly name = 'DeviceLibraryError';

  constructor(
    readonly code: DeviceLibraryErrorCode,
    message: string,
  ) {
    super(message);
  }
}
