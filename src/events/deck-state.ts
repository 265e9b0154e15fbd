/**
 * What the bridge knows about one deck at a moment: the value every deck
 * stream emits and the "deck" and "master" objects that mapping expressions
 * read. All fields are plain data; null means "the gear does not say".
 */
export type PhraseMood = 'high' | 'mid' | 'low' | 'unknown';

export interface PhraseInfo {
  /** 1-based position of the phrase in the track. */
  readonly index: number;
  /** Machine id, e.g. 'intro', 'verse1', 'chorus', 'up', 'down', 'outro'. */
  readonly kind: string;
  /** The family of the kind: 'verse' for 'verse2', 'intro' for 'intro', … */
  readonly family: string;
  /** As rekordbox shows it, e.g. 'Verse 2', 'Up 3'. */
  readonly label: string;
  readonly mood: PhraseMood;
  readonly bank: string;
  readonly startBeat: number;
  /** Exclusive: the first beat of the next phrase, or the track's end beat. */
  readonly endBeat: number;
  readonly bars: number;
  /** Beat where this phrase's fill-in starts, or null when it has none. */
  readonly fillBeat: number | null;
}

/** How a deck's track was matched to a track of the DJ's USB export. */
export type TrackMatchMethod = 'rekordbox-id' | 'device-library-id' | 'phrase-fingerprint' | 'tempo-and-length';

/**
 * The deck's track as the DJ's USB export describes it (see library/match).
 * One object per match: every state of the deck shares it while the match
 * holds, so reading it costs nothing per packet.
 */
export interface TrackInfo {
  /** The rekordbox ID of the track in its export.pdb (on an OPUS-QUAD not the ID the deck reports). */
  readonly id: number;
  readonly title: string;
  readonly artist: string;
  readonly album: string;
  readonly genre: string;
  /** Musical key as rekordbox names it, e.g. 'Fm'; '' when none. */
  readonly key: string;
  /** rekordbox's track colour name ('Pink', 'Red', …), '' when none. */
  readonly color: string;
  /** 0–5 stars. */
  readonly rating: number;
  readonly comment: string;
  readonly durationSeconds: number;
  /** How the deck's track was matched. */
  readonly match: TrackMatchMethod;
  /** The export folder (the folder holding PIONEER) the track was read from. */
  readonly source: string;
}

export interface DeckState {
  readonly deck: number;
  /** Device number as sent on the network (OPUS decks 1–4 send 9–12). */
  readonly device: number;
  readonly deviceName: string;
  readonly trackId: number | null;
  /** Device the track was loaded from, and from which slot ('usb', 'sd', …). */
  readonly trackDevice: number | null;
  readonly slot: string;
  readonly playState: string;
  readonly playing: boolean;
  /**
   * The playhead moves: the deck plays, and no hand holds its platter. A
   * player held in vinyl mode still says it plays (§3.2: its play state says
   * playing, its motion byte stopped): `playing` stays true, `moving` is false.
   */
  readonly moving: boolean;
  readonly master: boolean;
  /** M_h (§6.3): while this deck, as master, hands over, the deck it hands to (OPUS 9–12 as 1–4); null otherwise. */
  readonly handingTo: number | null;
  readonly sync: boolean;
  readonly onAir: boolean;
  /** Track BPM at the playhead, before pitch. */
  readonly bpm: number | null;
  /** Pitch as a multiplier (1 = 0 %). */
  readonly pitch: number;
  /** Audible tempo: bpm × pitch. */
  readonly effectiveBpm: number | null;
  /** Beat number within the track (1-based), null when unknown. */
  readonly beat: number | null;
  readonly beatInBar: number | null;
  readonly phrase: PhraseInfo | null;
  /** The track's title, artist and so on from the DJ's USB export; null without a library or when no track of it matches. */
  readonly track: TrackInfo | null;
  /** Monotonic time (ms) of the packet this state came from. */
  readonly updatedAt: number;
  /**
   * Present when the OPUS-QUAD sent this status with its flag byte zeroed
   * (§3.5): `playing` then comes from the play state, and `master`, `sync`
   * and `onAir` are the deck's last good ones (off before any).
   */
  readonly flagByteZero?: true;
}
