/**
 * The simulated DJ's USB as a library: the scenario's synthetic tracks as the
 * LibraryTracks a rekordbox export of them would hold. Title, an artist that
 * says where they come from, tempo, length (the whole seconds the simulated
 * deck reports), the constant-tempo beat grid the deck plays, the scenario's
 * cues on it, and the phrase analysis of the very PSSI tag the simulator
 * sends, so an OPUS-QUAD deck is matched by its phrase fingerprint and a CDJ
 * by its ID, as with a real export. Pure: no IO, no clock.
 */
import { CATALOGUE_FORMAT, CATALOGUE_VERSION, type CatalogueData } from '../../../library/catalogue/catalogue-data';
import { summarize, type ExportInfo } from '../../../library/catalogue/catalogue-summary';
import type { GridBeat, LibraryCue, LibraryTrack } from '../../../library/library-track';
import { isPhraseError } from '../../phrases/errors';
import { phraseFingerprint } from '../../phrases/phrase-fingerprint';
import { parsePssiTag } from '../../phrases/pssi';
import type { SongStructure } from '../../phrases/song-structure';
import { beatInBarOf, trackLengthMs, trackMsAt, type SimTrack } from '../deck/track';
import { libraryCueOf } from './export-tracks';

/** The artist of every synthetic track. */
export const SIMULATOR_ARTIST = 'prolink-bridge simulator';

/** Where the synthetic tracks of a scenario "are" (their export root: not a folder). */
export function simulatedUsbRoot(scenarioName: string): string {
  return `simulator:${scenarioName}`;
}

/** Beat n of the grid at n, as the deck plays it. */
function gridOf(track: SimTrack): GridBeat[] {
  const grid: GridBeat[] = [];
  for (let beat = 1; beat <= track.beats; beat++) grid.push({ beatInBar: beatInBarOf(track, beat), timeMs: trackMsAt(track, beat), bpm: track.bpm });
  return grid;
}

/** The structure the bridge decodes from the PSSI the simulator sends for the track; null without one (or one it cannot read). */
function phrasesOf(track: SimTrack): SongStructure | null {
  if (track.pssi === null) return null;
  const structure = parsePssiTag(track.pssi);
  return isPhraseError(structure) ? null : structure;
}

/** One synthetic track as its rekordbox export would list it. */
export function simulatedLibraryTrack(track: SimTrack, exportRoot: string): LibraryTrack {
  const grid = gridOf(track);
  const phrases = phrasesOf(track);
  const cues = (track.cues ?? [])
    .map((c) => libraryCueOf({ beat: c.beat, name: c.name, ...(c.hotCue === null ? {} : { hotCue: c.hotCue }) }, grid))
    .filter((c): c is LibraryCue => c !== null)
    .sort((a, b) => a.timeMs - b.timeMs);
  return {
    id: track.id,
    title: track.title,
    artist: SIMULATOR_ARTIST,
    album: '',
    genre: '',
    label: '',
    key: '',
    color: '',
    rating: 0,
    comment: 'a synthetic track of the built-in simulator',
    // What the simulated deck's precise position packets report: whole seconds, cut down.
    durationSeconds: Math.floor(trackLengthMs(track) / 1000),
    bpm: track.bpm,
    artworkPath: '',
    source: { exportRoot, analyzePath: '', filePath: '' },
    grid,
    cues,
    phrases,
    phraseFingerprint: phrases === null ? null : phraseFingerprint(phrases),
  };
}

/** The catalogue of a scenario's synthetic tracks, as one simulated export. */
export function simulatedUsbCatalogue(scenarioName: string, tracks: Iterable<SimTrack>, createdAt: string): CatalogueData {
  const root = simulatedUsbRoot(scenarioName);
  const library = [...tracks].map((t) => simulatedLibraryTrack(t, root));
  const exports: ExportInfo[] = [{ root, pdbPath: '', tracks: library.length, sequence: 0 }];
  return {
    format: CATALOGUE_FORMAT,
    version: CATALOGUE_VERSION,
    createdAt,
    exports,
    tracks: library,
    summary: summarize({ exports, tracks: library, missingAnalysis: [], unreadable: [], problems: [] }),
  };
}
