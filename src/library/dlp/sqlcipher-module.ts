/**
 * The optional SQLCipher module, loaded only when a Device Library Plus
 * database is to be opened: `@evolu/sqlite-wasm` (npm, Apache-2.0), SQLite
 * built to WebAssembly with SQLite3 Multiple Ciphers, which opens SQLCipher 4
 * files. No native build: installing it never fails for want of a compiler.
 *
 * The package is an ES module. It is imported in a worker thread, which
 * reads the file into the WebAssembly module's memory file system, opens it
 * with the key and runs the queries, then posts the rows back. So the
 * bridge's CommonJS build needs no require(esm), the key derivation
 * (PBKDF2-HMAC-SHA512, 256,000 rounds) does not run on the main thread, and
 * nothing the module does can end the bridge: every failure comes back as
 * one sentence.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DeviceLibraryError } from './dlp-error';

export const SQLCIPHER_MODULE = '@evolu/sqlite-wasm';

/** One row of a query, column name → value. */
export type SqlRow = Readonly<Record<string, unknown>>;

/** Resolves a package's package.json: `require.resolve` by default, injectable for tests. */
export type ModuleResolver = (request: string) => string;

const defaultResolver: ModuleResolver = (request) => require.resolve(request);

function describe(thrown: unknown): string {
  if (typeof thrown === 'object' && thrown !== null && 'message' in thrown && typeof thrown.message === 'string') return thrown.message.split('\n')[0] ?? '';
  return String(thrown);
}

function missingModule(moduleName: string): DeviceLibraryError {
  return new DeviceLibraryError(
    'module-missing',
    `Reading Device Library Plus (exportLibrary.db) needs the optional module "${moduleName}", which is not installed: install it with "npm install ${moduleName}".`,
  );
}

/** The file URL of the module's Node entry point, or the sentence saying it is not installed. */
export function locateModule(moduleName: string = SQLCIPHER_MODULE, resolve: ModuleResolver = defaultResolver): string | DeviceLibraryError {
  let packageJson: string;
  try {
    packageJson = resolve(`${moduleName}/package.json`);
  } catch {
    return missingModule(moduleName);
  }
  // The package maps "." to node.mjs for Node (its exports field); that file is the entry point here.
  return pathToFileURL(path.join(path.dirname(packageJson), 'node.mjs')).href;
}

/**
 * Runs in the worker: plain JavaScript (a CommonJS script), so it needs no
 * build step. workerData: { entry, file, key, queries }.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { entry, file, key, queries } = workerData;
const reply = (message) => parentPort.postMessage(message);
const text = (e) => (e && typeof e.message === 'string' ? e.message : String(e)).split('\\n')[0];
(async () => {
  let bytes;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    return reply({ fail: 'unreadable', detail: text(e) });
  }
  // SQLite takes an empty file for a new, empty database; here it is a file cut short.
  if (bytes.length === 0) return reply({ fail: 'damaged', detail: 'the file is empty' });
  let sqlite3;
  try {
    const loaded = await import(entry);
    sqlite3 = await loaded.default({ print: () => {}, printErr: () => {} });
  } catch (e) {
    return reply({ fail: 'module-broken', detail: text(e) });
  }
  let db;
  try {
    sqlite3.capi.sqlite3_js_posix_create_file('/exportLibrary.db', bytes);
    db = new sqlite3.oo1.DB('file:/exportLibrary.db?mode=ro', 'r');
    db.exec("PRAGMA cipher = 'sqlcipher'");
    db.exec('PRAGMA legacy = 4');
    db.exec("PRAGMA key = '" + key.replace(/'/g, "''") + "'");
  } catch (e) {
    return reply({ fail: 'module-broken', detail: text(e) });
  }
  try {
    db.selectValue('SELECT count(*) FROM sqlite_master');
  } catch (e) {
    db.close();
    return reply({ fail: e && e.resultCode === 26 ? 'wrong-key' : 'damaged', detail: text(e) });
  }
  const results = [];
  for (const sql of queries) {
    try {
      results.push(db.selectObjects(sql));
    } catch (e) {
      db.close();
      const code = e && e.resultCode;
      return reply({ fail: code === 11 || code === 26 ? 'damaged' : 'bad-schema', detail: text(e) });
    }
  }
  db.close();
  reply({ rows: results });
})().catch((e) => reply({ fail: 'module-broken', detail: text(e) }));
`;

type WorkerReply = { readonly rows: SqlRow[][] } | { readonly fail: string; readonly detail: string };

export interface EncryptedQuery {
  /** The SQLCipher 4 database file. */
  readonly file: string;
  readonly key: string;
  /** SELECT statements; their rows come back in the same order. */
  readonly queries: readonly string[];
  /** The module to use; default @evolu/sqlite-wasm (tests give a missing one). */
  readonly moduleName?: string;
  readonly resolve?: ModuleResolver;
}

function failure(code: string, detail: string, file: string, moduleName: string): DeviceLibraryError {
  const name = path.basename(file);
  switch (code) {
    case 'unreadable':
      return new DeviceLibraryError('unreadable', `${file}: cannot be read (${detail}).`);
    case 'wrong-key':
      return new DeviceLibraryError(
        'wrong-key',
        `${file}: the key given does not open this ${name} (a wrong key, or not a SQLCipher 4 Device Library Plus database); check --library-key or PROLINK_LIBRARY_KEY.`,
      );
    case 'damaged':
      return new DeviceLibraryError('damaged', `${file}: damaged or cut short (${detail}); export the USB again from rekordbox.`);
    case 'bad-schema':
      return new DeviceLibraryError('bad-schema', `${file}: not the Device Library Plus layout this bridge reads (${detail}).`);
    default:
      return new DeviceLibraryError(
        'module-broken',
        `The optional module "${moduleName}" is installed but does not work here (${detail}): reinstall it with "npm install ${moduleName}".`,
      );
  }
}

/** The rows of `queries` on the encrypted database, or one sentence saying why not. Never throws. */
export async function queryEncrypted(request: EncryptedQuery): Promise<SqlRow[][] | DeviceLibraryError> {
  const moduleName = request.moduleName ?? SQLCIPHER_MODULE;
  const entry = locateModule(moduleName, request.resolve);
  if (entry instanceof DeviceLibraryError) return entry;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: SqlRow[][] | DeviceLibraryError): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      resolve(result);
    };
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { entry, file: request.file, key: request.key, queries: request.queries },
      // The module's own output (SQLite's log lines) is not the bridge's.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    worker.on('message', (reply: WorkerReply) => {
      settle('rows' in reply ? reply.rows : failure(reply.fail, reply.detail, request.file, moduleName));
    });
    worker.on('error', (error) => settle(failure('module-broken', describe(error), request.file, moduleName)));
    worker.on('exit', (code) => settle(failure('module-broken', `the worker stopped with code ${code}`, request.file, moduleName)));
  });
}
