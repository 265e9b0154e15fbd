/**
 * A loaded track catalogue with its lookups built once: by (export, rekordbox
 * ID), by ID alone, and by phrase fingerprint, each a Map (O(1)); and a text
 * search for people.
 */
import type { LibraryTrack } from '../library-track';
import { CATALOGUE_FORMAT, CATALOGUE_VERSION, type CatalogueData } from './catalogue-data';
import { summarize } from './catalogue-summary';

function exportKey(exportRoot: string, id: number): string {
  return `${exportRoot}\u0000${id}`;
}

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

export class Catalogue {
  private readonly byExportId = new Map<string, LibraryTrack>();
  private readonly byId = new Map<number, LibraryTrack[]>();
  private readonly byFingerprint = new Map<string, LibraryTrack[]>();
  private readonly byDeviceLibraryId = new Map<number, LibraryTrack[]>();

  constructor(readonly data: CatalogueData) {
    for (const track of data.tracks) {
      const key = exportKey(track.source.exportRoot, track.id);
      // The first of two rows with one ID wins; the summary lists the pair as a duplicate.
      if (!this.byExportId.has(key)) this.byExportId.set(key, track);
      addTo(this.byId, track.id, track);
      if (track.phraseFingerprint !== null) addTo(this.byFingerprint, track.phraseFingerprint, track);
      if (track.deviceLibraryId !== undefined) addTo(this.byDeviceLibraryId, track.deviceLibraryId, track);
    }
  }

  get tracks(): readonly LibraryTrack[] {
    return this.data.tracks;
  }

  /** The track with rekordbox ID `id` in the export at `exportRoot`, or null. */
  track(exportRoot: string, id: number): LibraryTrack | null {
    return this.byExportId.get(exportKey(exportRoot, id)) ?? null;
  }

  /** Tracks with rekordbox ID `id`, one per export that has it. */
  withId(id: number): readonly LibraryTrack[] {
    return this.byId.get(id) ?? [];
  }

  /** Tracks with Device Library Plus content ID `id` (what an OPUS-QUAD reports), one per export that has it. */
  withDeviceLibraryId(id: number): readonly LibraryTrack[] {
    return this.byDeviceLibraryId.get(id) ?? [];
  }

  /** Tracks whose phrase analysis has this fingerprint (the same track may sit on several exports). */
  withPhraseFingerprint(fingerprint: string): readonly LibraryTrack[] {
    return this.byFingerprint.get(fingerprint) ?? [];
  }

  /**
   * Tracks matching `query`: a whole number matches rekordbox IDs; any text
   * matches titles and artists containing it, ignoring letter case. IDs first.
   */
  search(query: string): readonly LibraryTrack[] {
    const text = query.trim().toLowerCase();
    if (text === '') return [];
    const found = /^\d+$/.test(text) ? [...this.withId(Number(text))] : [];
    const seen = new Set(found);
    for (const track of this.data.tracks) {
      if (seen.has(track)) continue;
      if (track.title.toLowerCase().includes(text) || track.artist.toLowerCase().includes(text)) {
        found.push(track);
        seen.add(track);
      }
    }
    return found;
  }
}

/** One catalogue holding the exports, tracks and findings of all of `parts`. */
export function mergeCatalogues(parts: readonly CatalogueData[], createdAt: string): CatalogueData {
  const exports = parts.flatMap((p) => p.exports);
  const tracks = parts.flatMap((p) => p.tracks);
  return {
    format: CATALOGUE_FORMAT,
    version: CATALOGUE_VERSION,
    createdAt,
    exports,
    tracks,
    summary: summarize({
      exports,
      tracks,
      missingAnalysis: parts.flatMap((p) => p.summary.missingAnalysis),
      unreadable: parts.flatMap((p) => p.summary.unreadable),
      problems: parts.flatMap((p) => p.summary.problems),
    }),
  };
}
