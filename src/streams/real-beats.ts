/**
 * Beats from real beat packets (§4): the packet's arrival is the beat. Beat
 * packets carry no beat number, so it is carried forward from the player's
 * status beat counter (0xa0): the next beat after counter c is c + 1.
 * Mixer beat packets (a metronome, §4) are left out.
 */
import { filter, from, map, merge, mergeMap, scan, type Observable } from 'rxjs';
import type { Beat } from '../prolink/packets/beat';
import type { CdjStatus } from '../prolink/packets/cdj-status';
import type { BeatEvent } from '../events/bridge-event';
import type { Received } from './received';

/** A status generated just before a beat packet can arrive just after it; within this window it is not a correction. */
const STATUS_RACE_MS = 150;

type Input = { readonly beat: Received<Beat> } | { readonly status: Received<CdjStatus> };

interface DeviceCount {
  readonly lastBeat: number | null;
  readonly lastBeatAt: number;
}

interface State {
  readonly counts: ReadonlyMap<number, DeviceCount>;
  readonly out: BeatEvent | null;
}

export function realBeats(beats: Observable<Received<Beat>>, status: Observable<Received<CdjStatus>>): Observable<BeatEvent> {
  const inputs = merge(
    beats.pipe(
      filter((b) => !b.packet.fromMixer),
      map((beat): Input => ({ beat })),
    ),
    status.pipe(
      filter((s) => !s.packet.isOpus),
      map((s): Input => ({ status: s })),
    ),
  );
  return inputs.pipe(
    scan<Input, State>(
      (state, input) => {
        const counts = new Map(state.counts);
        if ('status' in input) {
          const { packet, at } = input.status;
          const known = counts.get(packet.device);
          const raced = known !== undefined && known.lastBeat !== null && packet.beat === known.lastBeat - 1 && at - known.lastBeatAt < STATUS_RACE_MS;
          if (!raced) counts.set(packet.device, { lastBeat: packet.beat, lastBeatAt: known?.lastBeatAt ?? -Infinity });
          return { counts, out: null };
        }
        const { packet, at } = input.beat;
        const known = counts.get(packet.device);
        const beat = known?.lastBeat == null ? null : known.lastBeat + 1;
        counts.set(packet.device, { lastBeat: beat, lastBeatAt: at });
        return {
          counts,
          out: {
            type: 'beat',
            at,
            deck: packet.device,
            beat,
            beatInBar: packet.beatInBar >= 1 && packet.beatInBar <= 4 ? packet.beatInBar : null,
            effectiveBpm: packet.effectiveBpm,
            estimated: false,
          },
        };
      },
      { counts: new Map(), out: null },
    ),
    mergeMap((state) => (state.out === null ? [] : from([state.out]))),
  );
}
