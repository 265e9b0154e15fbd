/**
 * Device Library Plus (PIONEER/rekordbox/exportLibrary.db, SQLCipher 4): the
 * track IDs an OPUS-QUAD or XDJ-AZ reports, read when the user gives the key
 * and the optional module @evolu/sqlite-wasm is installed.
 */
export { addDeviceLibraries, deviceLibraryBeside, DEVICE_LIBRARY_FILE, LIBRARY_KEY_ENV, libraryKeyOf, type DeviceLibraryNote, type DeviceLibraryOptions, type WithDeviceLibraries } from './add-device-libraries';
export { DeviceLibraryError, type DeviceLibraryErrorCode } from './dlp-error';
export { readDeviceLibrary, type DeviceLibrary, type DeviceLibraryTrack, type ReadDeviceLibraryOptions } from './read-device-library';
export { locateModule, queryEncrypted, SQLCIPHER_MODULE, type ModuleResolver, type SqlRow } from './sqlcipher-module';
