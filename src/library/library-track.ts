/**
 * What the bridge knows about one track from the DJ's USB export: the row of
 * export.pdb joined with its artist, album, genre, key, colour and label rows,
 * and what its analysis files (ANLZ .DAT/.EXT/.2EX) hold: beat grid, cues and
 * phrases. Plain read-only data, so a catalogue can be written as JSON and
 * read back unchanged.
 */
import type { SongStructure } from '../prolink/phrases/song-structure';

/** One beat of a track's beat grid (PQTZ). */
export interface GridBeat {
  /** 1–4: the beat's place in its bar. */
  readonly beatInBar: number;
  /** Time of the beat from the start of the track, in ms. */
  readonly timeMs: number;
  /** Tempo at this beat, BPM (the tag stores BPM × 100). */
  readonly bpm: number;
}

export type CueKind = 'memory' | 'hot';

/** A memory cue, hot cue or loop placed in rekordbox (PCOB/PCO2). */
export interface LibraryCue {
  readonly kind: CueKind;
  /** Hot cues: 1 for A, 2 for B, …; null for memory cues. */
  readonly hotCue: number | null;
  /** 'A', 'B', … for hot cues; null for memory cues. */
  readonly hotCueLetter: string | null;
  /** Where the cue sits, ms from the start of the track. */
  readonly timeMs: number;
  /** For a loop, where it ends (ms); null for a plain cue. */
  readonly loopEndMs: number | null;
  /** The name typed in rekordbox ('' when none). */
  readonly name: string;
  /**
   * The cue's colour as the analysis stores it for the player's lights
   * ('#rrggbb', close to what rekordbox shows), or null when it has none.
   */
  readonly color: string | null;
  /**
   * rekordbox's colour code for the cue, 0 when none: for hot cues a code of
   * rekordbox's hot-cue palette (0x01–0x3e); for memory cues and loops the
   * row of export.pdb's colour table (1 Pink … 8 Purple).
   */
  readonly colorCode: number;
}

export interface TrackSource {
  /** The export folder the track was read from (the folder holding PIONEER). */
  readonly exportRoot: string;
  /** Path of the analysis file as export.pdb names it, e.g. /PIONEER/USBANLZ/P016/0000875E/ANLZ0000.DAT. */
  readonly analyzePath: string;
  /** Path of the audio file on the USB, as export.pdb names it. */
  readonly filePath: string;
}

export interface LibraryTrack {
  /** The rekordbox ID of the track in export.pdb: what a CDJ reports for a track loaded from this USB. */
  readonly id: number;
  /**
   * The track's content ID in the USB's Device Library Plus (exportLibrary.db):
   * what an OPUS-QUAD or XDJ-AZ reports. Absent unless that database was read (it needs its key).
   */
  readonly deviceLibraryId?: number;
  readonly title: string;
  readonly artist: string;
  readonly album: string;
  readonly genre: string;
  readonly label: string;
  readonly key: string;
  /** rekordbox's track colour name ('Pink', 'Red', …), '' when none. */
  readonly color: string;
  /** 0–5 stars. */
  readonly rating: number;
  readonly comment: string;
  /** Length in seconds, as export.pdb states it. */
  readonly durationSeconds: number;
  /** Average tempo as export.pdb states it (BPM). */
  readonly bpm: number;
  /** Path of the artwork image on the USB, '' when none. */
  readonly artworkPath: string;
  readonly source: TrackSource;
  /** The beat grid, empty when the track has not been analysed. */
  readonly grid: readonly GridBeat[];
  /** Memory cues and hot cues, in time order. */
  readonly cues: readonly LibraryCue[];
  /** The phrase analysis, null when the export holds none. */
  readonly phrases: SongStructure | null;
  /** Fingerprint of the phrase data (see phrase-fingerprint), null without phrases. */
  readonly phraseFingerprint: string | null;
}
