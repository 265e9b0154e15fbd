import * as path from 'node:path';
import { songStructureFromAnlz } from '../../src/prolink/phrases/anlz-file';
import { parsePssiBody } from '../../src/prolink/phrases/pssi';
import { isPhraseError } from '../../src/prolink/phrases/errors';
import type { SongStructure } from '../../src/prolink/phrases/song-structure';
import { readFixture } from '../support/fixtures';

/** rekordbox's Demo Track 1 (mid mood, 19 phrases ending at beat 353). */
export function demoTrack1(): SongStructure {
  const file = readFixture(...path.join('dylanljones__pyrekordbox', '.testdata', 'export', 'PIONEER', 'USBANLZ', 'P016', '0000875E', 'ANLZ0000.EXT').split(path.sep));
  const structure = songStructureFromAnlz(file);
  if (structure === null || isPhraseError(structure)) throw new Error('Demo Track 1 has no PSSI');
  return structure;
}

/** A high-mood sample with fill-ins. */
export function highMood(): SongStructure {
  const body = readFixture('Deep-Symmetry__beat-link-trigger', 'resources', 'beat_link_trigger', 'sampleTracks', '2', 'song-structure.kaitai');
  const structure = parsePssiBody(body);
  if (isPhraseError(structure)) throw new Error(String(structure));
  return structure;
}
