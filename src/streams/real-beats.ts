/**
 * Beats from real beat packets (§4): the packet's arrival is the beat. Beat
 * packets carry no beat number, so it is carried forward from the player's
 * status beat counter (0xa0): the next beat after counter c is c + 1.
 * Mixer beat packets (a metronome, §4) are left out.
 */
import { filter, merge, type Observable } from 'rxjs';
import type { Beat } from '../prolink/packets/beat';
import type { CdjStatus } from '../prolink/packets/cdj-status';
import type { BeatEvent } from '../events/bridge-event';
import type { Received } from './received';
import { withState } from './with-state';

/** A status generated just before a beat packet can arrive just after it; within this window it is not a correction. */
const STATUS_RACE_MS = 150;

/** Per device; private to one subscription, updated in place. */
interface DeviceCount {
  lastBeat: number | null;
  lastBeatAt: number;
}

function isStatus(r: Received<Beat> | Received<CdjStatus>): r is Received<CdjStatus> {
  return r.packet.kind === 'cdjStatus';
}

export function realBeats(beats: Observable<Received<Beat>>, status: Observable<Received<CdjStatus>>): Observable<BeatEvent> {
  const inputs = merge(
    beats.pipe(filter((b) => !b.packet.fromMixer)),
    status.pipe(filter((s) => !s.packet.isOpus)),
  );
  return inputs.pipe(
    withState<Received<Beat> | Received<CdjStatus>, BeatEvent, Map<number, DeviceCount>>(
      () => new Map(),
      (counts, input, emit) => {
        const { packet, at } = input;
        let known = counts.get(packet.device);
        if (known === undefined) {
          known = { lastBeat: null, lastBeatAt: -Infinity };
          counts.set(packet.device, known);
        }
        if (isStatus(input)) {
          const raced = known.lastBeat !== null && input.packet.beat === known.lastBeat - 1 && at - known.lastBeatAt < STATUS_RACE_MS;
          if (!raced) known.lastBeat = input.packet.beat;
          return;
        }
        const beat = known.lastBeat === null ? null : known.lastBeat + 1;
        known.lastBeat = beat;
        known.lastBeatAt = at;
        const inBar = input.packet.beatInBar;
        emit({ type: 'beat', at, deck: packet.device, beat, beatInBar: inBar >= 1 && inBar <= 4 ? inBar : null, effectiveBpm: input.packet.effectiveBpm, estimated: false, late: false, coasting: false });
      },
    ),
  );
}
