/**
 * Names for the enumerated bytes of the CDJ status packet (§3.1, §3.2) and the
 * media packets, which use the same slot and track-type coding.
 */

/** §3.1 Sr (0x29). */
export type SlotName = 'none' | 'cd' | 'sd' | 'usb' | 'rekordbox' | 'streaming' | 'usb2' | 'beatport' | 'unknown';

const SLOTS: readonly SlotName[] = [
  'none', // 00
  'cd', // 01
  'sd', // 02
  'usb', // 03
  'rekordbox', // 04 rekordbox collection
  'unknown', // 05
  'streaming', // 06 streaming direct play
  'usb2', // 07 second USB (four-deck units)
  'unknown', // 08
  'beatport', // 09 Beatport LINK
];

export function slotName(raw: number): SlotName {
  return SLOTS[raw] ?? 'unknown';
}

/** §3.1 Tr (0x2a). */
export type TrackType = 'none' | 'rekordbox' | 'unanalysed' | 'audioCd' | 'streaming' | 'unknown';

const TRACK_TYPES: readonly TrackType[] = [
  'none', // 00
  'rekordbox', // 01 rekordbox-analysed
  'unanalysed', // 02
  'unknown', // 03
  'unknown', // 04
  'audioCd', // 05
  'streaming', // 06
];

export function trackTypeName(raw: number): TrackType {
  return TRACK_TYPES[raw] ?? 'unknown';
}

/** §3.2 P1 (0x7b). */
export type PlayState =
  | 'empty'
  | 'loading'
  | 'playing'
  | 'looping'
  | 'paused'
  | 'cued'
  | 'cuePlaying'
  | 'cueScratching'
  | 'searching'
  | 'spunDown'
  | 'ended'
  | 'emergencyLoop'
  | 'unknown';

export const P1_EMPTY = 0x00;
export const P1_LOADING = 0x02;
export const P1_PLAYING = 0x03;
export const P1_LOOPING = 0x04;
export const P1_PAUSED = 0x05;
export const P1_CUED = 0x06;
export const P1_CUE_PLAYING = 0x07;
export const P1_CUE_SCRATCHING = 0x08;
export const P1_SEARCHING = 0x09;
export const P1_SPUN_DOWN = 0x0e;
export const P1_ENDED = 0x11;
export const P1_EMERGENCY_LOOP = 0x12;

const PLAY_STATES: readonly PlayState[] = (() => {
  const table: PlayState[] = new Array<PlayState>(P1_EMERGENCY_LOOP + 1).fill('unknown');
  table[P1_EMPTY] = 'empty';
  table[P1_LOADING] = 'loading';
  table[P1_PLAYING] = 'playing';
  table[P1_LOOPING] = 'looping';
  table[P1_PAUSED] = 'paused';
  table[P1_CUED] = 'cued';
  table[P1_CUE_PLAYING] = 'cuePlaying';
  table[P1_CUE_SCRATCHING] = 'cueScratching';
  table[P1_SEARCHING] = 'searching';
  table[P1_SPUN_DOWN] = 'spunDown';
  table[P1_ENDED] = 'ended';
  table[P1_EMERGENCY_LOOP] = 'emergencyLoop';
  return table;
})();

export function playStateName(raw: number): PlayState {
  return PLAY_STATES[raw] ?? 'unknown';
}

/**
 * What P1 (and P2's motion while searching) says of playing: true or false
 * where it is plain, null where it is not (cue play, cue scratch, emergency
 * loop, values not known).
 */
export function playStateSaysPlaying(p1: number, moving: boolean): boolean | null {
  switch (p1) {
    case P1_PLAYING:
    case P1_LOOPING:
      return true;
    case P1_SEARCHING:
      return moving;
    case P1_EMPTY:
    case P1_LOADING:
    case P1_PAUSED:
    case P1_CUED:
    case P1_ENDED:
      return false;
    default:
      return null;
  }
}

/**
 * The beat a player stopped at its cue point stands on the first instant of
 * (play state 06: the CUE button put it there, and cues sit on beats); null
 * when it is not stopped at its cue point or shows no beat.
 */
export function cuePointBeat(status: { readonly playing: boolean; readonly playState: string; readonly beat: number | null }): number | null {
  return !status.playing && status.playState === 'cued' && status.beat !== null && status.beat >= 1 ? status.beat : null;
}

/** §3.1 P2 (0x8b), low nibble: `a` while the playhead moves, `e` while it stands, whatever the model's high nibble. */
const MOTION_NIBBLE = 0x0f;
const MOTION_STANDS = 0x0e;

/**
 * Whether a player that says it plays has its playhead standing: the DJ's
 * hand holds the platter (vinyl mode). §3.2: P1 still says playing (or
 * looping) while P2 says stopped. Only a P2 that plainly says "stopped"
 * counts: a device whose motion byte says neither keeps playing.
 */
export function platterHeld(status: { readonly playStateRaw: number; readonly motion: number }): boolean {
  return (status.playStateRaw === P1_PLAYING || status.playStateRaw === P1_LOOPING) && (status.motion & MOTION_NIBBLE) === MOTION_STANDS;
}

/** Whether the playhead of the deck a status describes moves on: it plays, and no hand holds its platter. */
export function playheadMoves(status: { readonly playing: boolean; readonly playStateRaw: number; readonly motion: number }): boolean {
  return status.playing && !platterHeld(status);
}
