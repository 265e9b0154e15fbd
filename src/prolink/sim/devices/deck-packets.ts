/**
 * Status, beat and precise position packet fields from a deck's state: shared
 * by the simulated players and the OPUS-QUAD.
 */
import type { CdjStatusFields, LoopFields } from '../encode/cdj-status';
import type { BeatFields } from '../encode/beat';
import type { PrecisePositionFields } from '../encode/precise-position';
import type { DeckState, TrueBeat } from '../deck/deck';
import { BEATS_PER_BAR, beatPeriodMs, pitchPercentFor, trackLengthMs, trackMsAt, type SimTrack } from '../deck/track';
import type { MasterView } from './master-control';

/** §3.1 Sr: tracks come from a USB stick. */
export const SLOT_USB = 0x03;
/** §3.1 Tr: rekordbox-analysed. */
export const TRACK_TYPE_REKORDBOX = 0x01;

export interface StatusIdentity {
  readonly name: string;
  readonly device: number;
  readonly length: number;
  readonly subtype: number;
  readonly firmware: string;
  /** Dr when a track is loaded: the device whose media it came from. */
  readonly trackDevice: number;
  /** The status says which loop is played (CDJ-3000, §3.1). */
  readonly reportsLoop?: boolean;
}

export interface StatusExtras {
  readonly onAir: boolean;
  readonly packetCounter: number;
}

export function statusFields(id: StatusIdentity, state: DeckState, master: MasterView, extras: StatusExtras): CdjStatusFields {
  const track = state.track;
  return {
    name: id.name,
    device: id.device,
    length: id.length,
    subtype: id.subtype,
    firmware: id.firmware,
    trackDevice: track === null ? 0 : id.trackDevice,
    slot: track === null ? 0 : SLOT_USB,
    trackType: track === null ? 0 : TRACK_TYPE_REKORDBOX,
    trackId: track?.id ?? 0,
    playState: state.playState,
    playing: state.playing,
    master: master.isMaster,
    sync: state.synced,
    bpmSyncOnly: state.bpmSyncOnly,
    onAir: extras.onAir,
    moving: state.moving,
    pitchPercent: state.pitchPercent,
    bpm: track?.bpm ?? null,
    masterHandoff: master.handoffTo,
    beat: state.beat,
    beatsUntilCue: null,
    beatInBar: state.beatInBar,
    syncCounter: master.syncCounter,
    packetCounter: extras.packetCounter,
    loop: id.reportsLoop === true ? statusLoop(state) : null,
  };
}

/** The loop a deck plays, as a CDJ-3000 reports it (§3.1): where it starts and ends in the track, and its whole beats. */
function statusLoop(state: DeckState): LoopFields | null {
  const { track, loop } = state;
  if (track === null || loop === null || !state.playing) return null;
  return { startMs: trackMsAt(track, loop.start), endMs: trackMsAt(track, loop.end), beats: Math.floor(loop.end - loop.start + 1e-9) };
}

/** A precise position packet (§5) for a deck's state: none without a track (sent while paused too). */
export function positionFields(name: string, device: number, state: DeckState): PrecisePositionFields | null {
  const track = state.track;
  if (track === null) return null;
  return {
    name,
    device,
    trackLengthSeconds: trackLengthMs(track) / 1000,
    positionMs: Math.min(trackMsAt(track, state.position), trackLengthMs(track)),
    pitchPercent: state.pitchPercent,
    effectiveBpm: state.effectiveBpm,
  };
}

/**
 * A beat packet for `beat` (§4): distances to the next beats and bars at 0 %
 * pitch along the grid, null where the track has ended by then.
 */
export function beatFields(name: string, device: number, beat: TrueBeat, track: SimTrack): BeatFields {
  const period = beatPeriodMs(track);
  const ahead = (beats: number): number | null => (beat.beat + beats <= track.beats ? Math.round(beats * period) : null);
  const toNextBar = BEATS_PER_BAR + 1 - beat.beatInBar;
  return {
    name,
    device,
    nextBeat: ahead(1),
    secondBeat: ahead(2),
    nextBar: ahead(toNextBar),
    fourthBeat: ahead(4),
    secondBar: ahead(toNextBar + BEATS_PER_BAR),
    eighthBeat: ahead(8),
    pitchPercent: pitchPercentFor(track, beat.bpm),
    bpm: track.bpm,
    beatInBar: beat.beatInBar,
  };
}
