/**
 * The process that holds the Link session (started by link-process.ts with
 * an IPC channel). It loads the native module, follows the grids the bridge
 * sends, and ends itself with SIGKILL when told to stop or when the bridge
 * goes away: the module cannot end a process cleanly (link-library.ts).
 */
import { LinkDriver } from './link-driver';
import { LinkError } from './link-error';
import { loadLinkLibrary } from './link-library';
import type { FromLinkHost, ToLinkHost } from './link-messages';

function send(message: FromLinkHost): void {
  process.send?.(message);
}

function end(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

let driver: LinkDriver | null = null;
let timer: NodeJS.Timeout | null = null;

process.on('disconnect', () => {
  driver?.close();
  end();
});

process.on('message', (message: ToLinkHost) => {
  if (message.kind === 'start' && driver === null) {
    const open = loadLinkLibrary();
    if (open instanceof LinkError) {
      send({ kind: 'unavailable', message: open.message, cause: open.cause });
      return;
    }
    const { follower, tickMs, tempo } = message.setup;
    const session = open({ quantum: follower.quantum, startStopSync: follower.startStopSync, tempo });
    const running = new LinkDriver(session, follower, (event) => send({ kind: 'event', event }));
    driver = running;
    timer = setInterval(() => running.tick(), tickMs);
    send({ kind: 'ready' });
  } else if (message.kind === 'grid') {
    driver?.publish(message.grid);
  } else if (message.kind === 'stop') {
    if (timer !== null) clearInterval(timer);
    driver?.close();
    send({ kind: 'stopped' });
    // Give the channel a moment to carry 'stopped', and Link to say goodbye to its peers.
    setTimeout(end, 50);
  }
});
