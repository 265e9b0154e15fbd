/**
 * The simulator plays tracks of a real USB export (pyrekordbox's test export):
 * by title, with the export's grid, its PSSI bytes as stored (so the bridge's
 * fingerprint matches the library's), the ID a real player reports, and cues
 * a scenario adds, which a bridge's library then holds at the same beats.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cuePoints } from '../../../src/library/cue-points';
import { parsePssiTag } from '../../../src/prolink/phrases/pssi';
import { isPhraseError } from '../../../src/prolink/phrases/errors';
import { phraseFingerprint } from '../../../src/prolink/phrases/phrase-fingerprint';
import { parseScenario, ScenarioError, type Scenario } from '../../../src/prolink/sim/scenario';
import { scenarioFromText } from '../../../src/prolink/sim/scenario-file';
import { readLibraryFromDisk, scenarioCatalogue } from '../../../src/prolink/sim/scenario-library';
import { libraryWithScenarioCues, OPUS_LIBRARY_ID_OFFSET, resolveLibraryTracks } from '../../../src/prolink/sim/tracks/export-tracks';
import { readFileFromDisk } from '../../../src/prolink/sim/simulator';
import { tracksOf } from '../../../src/prolink/sim/tracks/track-library';
import { fixturePath } from '../../support/fixtures';

const EXPORT = fixturePath('dylanljones__pyrekordbox', '.testdata', 'export');

function scenario(raw: Record<string, unknown>): Scenario {
  const parsed = parseScenario({ name: 'lib', rig: 'opus', tracks: [], ...raw }, 'lib.yaml');
  if (parsed instanceof ScenarioError) throw new Error(parsed.message);
  return parsed;
}

const DEMO = {
  library: EXPORT,
  libraryTracks: [{ title: 'Demo Track 1', cues: [{ name: 'DROP', beat: 129 }, { name: 'BUILD', beat: 97, hotCue: 1 }, { name: 'MID', beat: 64.5 }] }],
  steps: [
    { at: 0, do: 'load', deck: 1, title: 'Demo Track 1' },
    { at: 0, do: 'load', deck: 2, title: 'Demo Track 2' },
  ],
};

describe('scenarios with tracks from a USB export', () => {
  it('plays the export track by title with its grid, and the OPUS reports a Device Library Plus ID, not the export.pdb one', () => {
    const resolved = resolveLibraryTracks(scenario(DEMO), readLibraryFromDisk);
    if (resolved instanceof ScenarioError) throw new Error(resolved.message);
    const [one, two] = resolved.tracks;
    expect(one).toMatchObject({ id: OPUS_LIBRARY_ID_OFFSET + 1, title: 'Demo Track 1', bpm: 128, beats: 368, firstBeatMs: 25, firstBeatInBar: 1 });
    expect(two).toMatchObject({ id: OPUS_LIBRARY_ID_OFFSET + 2, title: 'Demo Track 2', bpm: 120, beats: 257, firstBeatMs: 25 });
    expect(one?.anlz).toMatch(/P016[/\\]0000875E[/\\]ANLZ0000\.EXT$/);
    expect(one?.cues?.map((c) => c.name)).toEqual(['DROP', 'BUILD', 'MID']);
    expect(resolved.libraryTracks).toBeUndefined();
  });

  it('reports the export.pdb ID on CDJs, or the ID the scenario gives', () => {
    const cdj = resolveLibraryTracks(scenario({ ...DEMO, rig: 'cdj-pair', steps: [{ at: 0, do: 'load', deck: 2, title: 'Demo Track 1' }] }), readLibraryFromDisk);
    if (cdj instanceof ScenarioError) throw new Error(cdj.message);
    expect(cdj.tracks.map((t) => t.id)).toEqual([1]);
    const given = resolveLibraryTracks(scenario({ ...DEMO, libraryTracks: [{ title: 'Demo Track 1', id: 9001 }] }), readLibraryFromDisk);
    if (given instanceof ScenarioError) throw new Error(given.message);
    expect(given.tracks.map((t) => t.id)).toEqual([9001, OPUS_LIBRARY_ID_OFFSET + 2]);
  });

  it('sends the PSSI exactly as the USB stores it (masked): its fingerprint is the library track’s', () => {
    const resolved = resolveLibraryTracks(scenario(DEMO), readLibraryFromDisk);
    if (resolved instanceof ScenarioError) throw new Error(resolved.message);
    const tracks = tracksOf(resolved, readFileFromDisk);
    if (tracks instanceof ScenarioError) throw new Error(tracks.message);
    const library = readLibraryFromDisk(EXPORT);
    if (library instanceof Error) throw library;
    for (const [id, title] of [[50_001, 'Demo Track 1'], [50_002, 'Demo Track 2']] as const) {
      const pssi = tracks.get(id)?.pssi;
      expect(pssi).toBeInstanceOf(Buffer);
      const structure = parsePssiTag(pssi as Buffer);
      if (isPhraseError(structure)) throw new Error(structure.message);
      expect(structure.masked).toBe(true);
      expect(phraseFingerprint(structure)).toBe(library.find((t) => t.title === title)?.phraseFingerprint);
    }
  });

  it('gives the bridge a library with the scenario’s cues at the same beats (on the beat, between beats, hot cue letters)', () => {
    const data = scenarioCatalogue(scenario(DEMO));
    if (data === null || data instanceof ScenarioError) throw new Error(String(data));
    const demo1 = data.tracks.find((t) => t.title === 'Demo Track 1');
    if (demo1 === undefined) throw new Error('no Demo Track 1');
    expect(demo1.cues.map((c) => [c.name, c.kind, c.hotCueLetter, c.timeMs])).toEqual([
      ['MID', 'memory', null, Math.round(25 + 63.5 * 468.75)],
      ['BUILD', 'hot', 'A', 25 + 96 * 468.75],
      ['DROP', 'memory', null, 25 + 128 * 468.75],
    ]);
    expect(cuePoints(demo1).map((p) => [p.cue.name, p.onBeat, Number(p.fraction.toFixed(2))])).toEqual([
      ['MID', 64, 0.5],
      ['BUILD', 97, 0],
      ['DROP', 129, 0],
    ]);
    expect(data.tracks.find((t) => t.title === 'Demo Track 2')?.cues).toEqual([]);
    expect(libraryWithScenarioCues(data.tracks, scenario({ library: EXPORT, steps: DEMO.steps }))).toEqual(data.tracks);
  });

  it('says what is wrong: an unknown title (listing the export’s), a load by title without library, an unreadable export', () => {
    const unknown = resolveLibraryTracks(scenario({ ...DEMO, steps: [{ at: 0, do: 'load', deck: 1, title: 'Demo Track 9' }] }), readLibraryFromDisk);
    expect(unknown).toBeInstanceOf(ScenarioError);
    expect(String(unknown)).toContain('has no track titled "Demo Track 9" (it has "SIREN", "Demo Track 1"');
    const noLibrary = parseScenario({ name: 'x', rig: 'opus', tracks: [], steps: [{ at: 0, do: 'load', deck: 1, title: 'Demo Track 1' }] }, 'x.yaml');
    expect(String(noLibrary)).toContain('steps[0].title: no track titled "Demo Track 1" in tracks, and no `library:` export to find it in');
    const both = parseScenario({ name: 'x', rig: 'opus', tracks: [{ id: 1, bpm: 120, beats: 8 }], steps: [{ at: 0, do: 'load', deck: 1, track: 1, title: 'a' }] }, 'x.yaml');
    expect(String(both)).toContain('one of the two');
    const orphan = parseScenario({ name: 'x', rig: 'opus', tracks: [], libraryTracks: [{ title: 'a' }], steps: [{ at: 0, do: 'play', deck: 1 }] }, 'x.yaml');
    expect(String(orphan)).toContain('libraryTracks[0]: tracks from the library need `library:`');
    const missing = resolveLibraryTracks(scenario({ ...DEMO, library: '/nonexistent/export' }), readLibraryFromDisk);
    expect(missing).toBeInstanceOf(ScenarioError);
    expect(String(missing)).toContain('cannot read the export /nonexistent/export');
    const noGrid = resolveLibraryTracks(scenario({ ...DEMO, steps: [{ at: 0, do: 'load', deck: 1, title: 'SIREN' }] }), readLibraryFromDisk);
    expect(String(noGrid)).toContain('"SIREN" has no beat grid');
  });

  it('takes a relative library path from a scenario file relative to the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-lib-'));
    try {
      const file = path.join(dir, 'show.yaml');
      const relative = path.relative(dir, EXPORT);
      const parsed = scenarioFromText(`name: f\nrig: opus\nlibrary: ${relative}\ntracks: []\nsteps:\n  - { at: 0, do: load, deck: 1, title: Demo Track 1 }\n`, file);
      if (parsed instanceof ScenarioError) throw new Error(parsed.message);
      expect(parsed.library).toBe(EXPORT);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
