/**
 * Node 22.1 and later can keep the compiled code of every module on disk
 * (in the system's temporary folder) and reuse it on the next start, which
 * roughly halves the bridge's start-up on a slow machine such as a Raspberry
 * Pi. Imported first by the command line; on older Node it does nothing.
 */
import * as nodeModule from 'node:module';

const withCache = nodeModule as { enableCompileCache?: () => unknown };
try {
  withCache.enableCompileCache?.();
} catch {
  // No cache (a read-only temporary folder): the modules are compiled as usual.
}
