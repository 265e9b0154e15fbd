/**
 * The OPUS-QUAD sometimes sends a status packet whose flag byte (0x89) is
 * 0x00 (§3.5 glitch 1). Taken at face value the deck would stop, lose master
 * and go off-air for 200 ms. The last good flag byte of the same device stands
 * in for it. Until a good byte has been seen, the codec's inference from the
 * play state (P1/P2) is kept, with master/sync/on-air off.
 *
 * Whether the deck plays is the packet's own where its play state says so
 * (§3.5: P1 is sound in these packets): the last good byte may be from before
 * the DJ stopped, pressed CUE or played. A stopped deck would otherwise play
 * on for a status period, and a CUE press look like a jump while playing.
 * Whether it is master the packet cannot say: the repaired packet keeps
 * `flagsZero`, and the master tracker does not take its flag for a claim or
 * a drop (master.ts).
 */
import type { OperatorFunction } from 'rxjs';
import type { CdjStatus } from '../prolink/packets/cdj-status';
import { playStateSaysPlaying } from '../prolink/packets/status-names';
import { FLAG_BPM_SYNC_ONLY, FLAG_MASTER, FLAG_ON_AIR, FLAG_PLAYING, FLAG_SYNC } from '../prolink/packets/cdj-status';
import type { Received } from './received';
import { withState } from './with-state';

/** The status with another flag byte standing in for its own; `flagsZero` still says what the wire carried. */
export function withFlags(status: CdjStatus, flags: number): CdjStatus {
  return {
    ...status,
    flags,
    playing: (flags & FLAG_PLAYING) !== 0,
    master: (flags & FLAG_MASTER) !== 0,
    sync: (flags & FLAG_SYNC) !== 0,
    onAir: (flags & FLAG_ON_AIR) !== 0,
    bpmSyncOnly: (flags & FLAG_BPM_SYNC_ONLY) !== 0,
  };
}

/** A glitch packet with the last good flag byte, playing as its own play state says (where it says). */
function repaired(status: CdjStatus, good: number): CdjStatus {
  const fixed = withFlags(status, good);
  const playing = playStateSaysPlaying(status.playStateRaw, status.moving);
  return playing === null || playing === fixed.playing ? fixed : { ...fixed, playing };
}

/** Every status goes through; an OPUS glitch packet with its device's last good flag byte. */
export function repairOpusFlags(): OperatorFunction<Received<CdjStatus>, Received<CdjStatus>> {
  return withState<Received<CdjStatus>, Received<CdjStatus>, Map<number, number>>(
    () => new Map(),
    (lastGood, received, emit) => {
      const { packet } = received;
      if (!packet.isOpus) {
        emit(received);
        return;
      }
      if (!packet.flagsZero) lastGood.set(packet.device, packet.flags);
      const good = packet.flagsZero ? lastGood.get(packet.device) : undefined;
      emit(good === undefined ? received : { ...received, packet: repaired(packet, good) });
    },
  );
}
