/**
 * A row of the tracks table: the audio file's properties, links by ID to the
 * artist, album, genre, key, colour, label and artwork rows, and 21 strings.
 * Offsets are from the start of the row.
 */
import { readRowStrings } from './device-sql-string';
import type { PageReader } from './page-reader';

/** u16: row subtype (0x24; bit 0x04 selects two-byte string offsets). */
const TRACK_SUBTYPE = 0x00;
/** u32: sample rate of the audio file, Hz. */
const TRACK_SAMPLE_RATE = 0x08;
/** u32: artist ID of the composer, 0 when none. */
const TRACK_COMPOSER_ID = 0x0c;
/** u32: size of the audio file, bytes. */
const TRACK_FILE_SIZE = 0x10;
/** u32: artwork row ID, 0 when none. */
const TRACK_ARTWORK_ID = 0x1c;
/** u32: key row ID, 0 when none. */
const TRACK_KEY_ID = 0x20;
/** u32: artist ID of the original artist, 0 when none. */
const TRACK_ORIGINAL_ARTIST_ID = 0x24;
/** u32: label row ID, 0 when none. */
const TRACK_LABEL_ID = 0x28;
/** u32: artist ID of the remixer, 0 when none. */
const TRACK_REMIXER_ID = 0x2c;
/** u32: bit rate, kbit/s. */
const TRACK_BITRATE = 0x30;
/** u32: position on the album. */
const TRACK_NUMBER = 0x34;
/** u32: tempo × 100 (BPM). */
const TRACK_TEMPO = 0x38;
/** u32: genre row ID, 0 when none. */
const TRACK_GENRE_ID = 0x3c;
/** u32: album row ID, 0 when none. */
const TRACK_ALBUM_ID = 0x40;
/** u32: artist row ID of the performer, 0 when none. */
const TRACK_ARTIST_ID = 0x44;
/** u32: the track's rekordbox ID, what players report for it. */
const TRACK_ID = 0x48;
/** u16: disc number. */
const TRACK_DISC_NUMBER = 0x4c;
/** u16: play count. */
const TRACK_PLAY_COUNT = 0x4e;
/** u16: release year. */
const TRACK_YEAR = 0x50;
/** u16: bits per sample. */
const TRACK_SAMPLE_DEPTH = 0x52;
/** u16: length at normal speed, seconds. */
const TRACK_DURATION = 0x54;
/** u8: colour row ID, 0 when none. */
const TRACK_COLOR_ID = 0x58;
/** u8: rating, 0–5 stars. */
const TRACK_RATING = 0x59;
/** u16: audio file type code. */
const TRACK_FILE_TYPE = 0x5a;
/** The string-offset array: marker, then 21 offsets. */
const TRACK_STRINGS = 0x5c;
const TRACK_STRING_COUNT = 21;

/** Positions in the string-offset array. */
const S_ISRC = 0;
const S_LYRICIST = 1;
const S_MESSAGE = 5;
const S_AUTOLOAD_HOT_CUES = 7;
const S_DATE_ADDED = 10;
const S_RELEASE_DATE = 11;
const S_MIX_NAME = 12;
const S_ANALYZE_PATH = 14;
const S_ANALYZE_DATE = 15;
const S_COMMENT = 16;
const S_TITLE = 17;
const S_FILENAME = 19;
const S_FILE_PATH = 20;

export interface TrackRow {
  readonly id: number;
  readonly title: string;
  readonly artistId: number;
  readonly composerId: number;
  readonly originalArtistId: number;
  readonly remixerId: number;
  readonly albumId: number;
  readonly genreId: number;
  readonly labelId: number;
  readonly keyId: number;
  readonly colorId: number;
  readonly artworkId: number;
  /** BPM (the row stores BPM × 100). */
  readonly bpm: number;
  readonly durationSeconds: number;
  readonly sampleRate: number;
  readonly bitrate: number;
  readonly sampleDepth: number;
  readonly fileSize: number;
  readonly fileType: number;
  readonly trackNumber: number;
  readonly discNumber: number;
  readonly year: number;
  readonly playCount: number;
  readonly rating: number;
  readonly isrc: string;
  readonly lyricist: string;
  readonly message: string;
  readonly autoloadHotCues: string;
  readonly dateAdded: string;
  readonly releaseDate: string;
  readonly mixName: string;
  readonly analyzePath: string;
  readonly analyzeDate: string;
  readonly comment: string;
  readonly filename: string;
  readonly filePath: string;
}

export function readTrackRow(page: PageReader, at: number): TrackRow {
  const u32 = (o: number, what: string): number => page.u32(at + o, `track ${what}`);
  const u16 = (o: number, what: string): number => page.u16(at + o, `track ${what}`);
  const u8 = (o: number, what: string): number => page.u8(at + o, `track ${what}`);
  const subtype = u16(TRACK_SUBTYPE, 'subtype');
  const s = readRowStrings(page, at, subtype, TRACK_STRINGS, TRACK_STRING_COUNT, 'track');
  const str = (i: number): string => s[i] ?? '';
  return {
    id: u32(TRACK_ID, 'id'),
    title: str(S_TITLE),
    artistId: u32(TRACK_ARTIST_ID, 'artist id'),
    composerId: u32(TRACK_COMPOSER_ID, 'composer id'),
    originalArtistId: u32(TRACK_ORIGINAL_ARTIST_ID, 'original artist id'),
    remixerId: u32(TRACK_REMIXER_ID, 'remixer id'),
    albumId: u32(TRACK_ALBUM_ID, 'album id'),
    genreId: u32(TRACK_GENRE_ID, 'genre id'),
    labelId: u32(TRACK_LABEL_ID, 'label id'),
    keyId: u32(TRACK_KEY_ID, 'key id'),
    colorId: u8(TRACK_COLOR_ID, 'color id'),
    artworkId: u32(TRACK_ARTWORK_ID, 'artwork id'),
    bpm: u32(TRACK_TEMPO, 'tempo') / 100,
    durationSeconds: u16(TRACK_DURATION, 'duration'),
    sampleRate: u32(TRACK_SAMPLE_RATE, 'sample rate'),
    bitrate: u32(TRACK_BITRATE, 'bitrate'),
    sampleDepth: u16(TRACK_SAMPLE_DEPTH, 'sample depth'),
    fileSize: u32(TRACK_FILE_SIZE, 'file size'),
    fileType: u16(TRACK_FILE_TYPE, 'file type'),
    trackNumber: u32(TRACK_NUMBER, 'track number'),
    discNumber: u16(TRACK_DISC_NUMBER, 'disc number'),
    year: u16(TRACK_YEAR, 'year'),
    playCount: u16(TRACK_PLAY_COUNT, 'play count'),
    rating: u8(TRACK_RATING, 'rating'),
    isrc: str(S_ISRC),
    lyricist: str(S_LYRICIST),
    message: str(S_MESSAGE),
    autoloadHotCues: str(S_AUTOLOAD_HOT_CUES),
    dateAdded: str(S_DATE_ADDED),
    releaseDate: str(S_RELEASE_DATE),
    mixName: str(S_MIX_NAME),
    analyzePath: str(S_ANALYZE_PATH),
    analyzeDate: str(S_ANALYZE_DATE),
    comment: str(S_COMMENT),
    filename: str(S_FILENAME),
    filePath: str(S_FILE_PATH),
  };
}
