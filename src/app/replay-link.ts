import * as fs from 'node:fs';
import { share } from '../rx';
import { proDjLinkDatagrams, replayDatagrams } from '../replay/replay-capture';
import { monotonicScheduler, type Link } from './link';

/** A capture played back as the network (in real time, or `speed` times faster); it cannot send. */
export function openReplayLink(file: string, speed: number): Link {
  const { datagrams } = proDjLinkDatagrams(fs.readFileSync(file));
  return {
    description: `a replay of ${file} (${datagrams.length} packets, ${speed}× speed)`,
    datagrams: replayDatagrams(datagrams, { scheduler: monotonicScheduler, speed }).pipe(share()),
    identity: null,
    timeScale: speed,
    send: () => undefined,
    close: async () => undefined,
  };
}
