/**
 * The simulated DJ's USB as a library: the built-in scenarios' synthetic
 * tracks as LibraryTracks (titles, tempo, the length the deck reports, the
 * grid it plays, the scenario's cues, and the fingerprint of the very PSSI
 * the simulator sends), and the example scenario that plays the fixture
 * export by title.
 */
import * as path from 'node:path';
import { Catalogue } from '../../../src/library/catalogue';
import { LengthIndex, matchTrack } from '../../../src/library/match/track-matcher';
import { isPhraseError } from '../../../src/prolink/phrases/errors';
import { phraseFingerprint } from '../../../src/prolink/phrases/phrase-fingerprint';
import { parsePssiTag } from '../../../src/prolink/phrases/pssi';
import { trackLengthMs } from '../../../src/prolink/sim/deck/track';
import { ScenarioError, type Scenario } from '../../../src/prolink/sim/scenario';
import { builtinScenario } from '../../../src/prolink/sim/scenario-builtins';
import { loadScenarioFile } from '../../../src/prolink/sim/scenario-file';
import { readLibraryFromDisk, simulatedUsb } from '../../../src/prolink/sim/scenario-library';
import { readFileFromDisk } from '../../../src/prolink/sim/simulator';
import { OPUS_LIBRARY_ID_OFFSET, resolveLibraryTracks } from '../../../src/prolink/sim/tracks/export-tracks';
import { SIMULATOR_ARTIST, simulatedUsbCatalogue, simulatedUsbRoot } from '../../../src/prolink/sim/tracks/simulated-usb';
import { tracksOf } from '../../../src/prolink/sim/tracks/track-library';
import { REPO } from '../../support/cli';
import { fixturePath } from '../../support/fixtures';

const AT = '2026-12-03T12:00:00.000Z';
const EXPORT = fixturePath('dylanljones__pyrekordbox', '.testdata', 'export');
const USB_DEMO = path.join(REPO, 'examples', 'scenarios', 'usb-demo.yaml');

function builtin(name: string): Scenario {
  const scenario = builtinScenario(name);
  if (scenario instanceof ScenarioError) throw new Error(scenario.message);
  return scenario;
}

function simTracks(scenario: Scenario) {
  const tracks = tracksOf(scenario, readFileFromDisk);
  if (tracks instanceof ScenarioError) throw new Error(tracks.message);
  return tracks;
}

describe('the simulated USB of a scenario', () => {
  it.each(['club', 'cdj-pair'])('lists the synthetic tracks of %s with their titles, artist, tempo, length, grid and the fingerprint of the PSSI the simulator sends', (name) => {
    const scenario = builtin(name);
    const tracks = simTracks(scenario);
    const data = simulatedUsbCatalogue(scenario.name, tracks.values(), AT);
    expect(data.createdAt).toBe(AT);
    expect(data.exports).toEqual([{ root: simulatedUsbRoot(name), pdbPath: '', tracks: scenario.tracks.length, sequence: 0 }]);
    expect(data.summary).toMatchObject({ tracks: scenario.tracks.length, withTitles: scenario.tracks.length, withGrids: scenario.tracks.length, withPhrases: scenario.tracks.length, duplicates: [] });
    expect(data.tracks.map((t) => [t.id, t.title, t.artist, t.bpm])).toEqual(scenario.tracks.map((s) => [s.id, s.title, SIMULATOR_ARTIST, s.bpm]));
    for (const track of data.tracks) {
      const sim = tracks.get(track.id);
      if (sim === undefined || sim.pssi === null) throw new Error(`no PSSI for ${track.id}`);
      // What the bridge computes from the PSSI the deck sends.
      const sent = parsePssiTag(sim.pssi);
      if (isPhraseError(sent)) throw new Error(sent.message);
      expect(track.phraseFingerprint).toBe(phraseFingerprint(sent));
      expect(track.durationSeconds).toBe(Math.floor(trackLengthMs(sim) / 1000));
      expect(track.grid).toHaveLength(sim.beats);
      expect(track.grid[0]).toEqual({ beatInBar: sim.firstBeatInBar, timeMs: sim.firstBeatMs, bpm: sim.bpm });
      expect(track.grid[4]?.timeMs).toBeCloseTo(sim.firstBeatMs + (4 * 60_000) / sim.bpm, 6);
      expect(track.source.exportRoot).toBe(simulatedUsbRoot(name));
    }
    // Every track has a fingerprint of its own: an OPUS deck is never ambiguous.
    expect(new Set(data.tracks.map((t) => t.phraseFingerprint)).size).toBe(data.tracks.length);
  });

  it('is matched by the matcher: an OPUS deck by its phrase data, a CDJ by its ID, each checked against tempo and length', () => {
    const club = builtin('club');
    const catalogue = new Catalogue(simulatedUsbCatalogue('club', simTracks(club).values(), AT));
    const lengths = new LengthIndex(catalogue);
    for (const sim of simTracks(club).values()) {
      const structure = parsePssiTag(sim.pssi as Buffer);
      if (isPhraseError(structure)) throw new Error(structure.message);
      const facts = { kind: 'opus' as const, trackId: sim.id, bpm: sim.bpm, fingerprint: phraseFingerprint(structure), durationSeconds: Math.floor(trackLengthMs(sim) / 1000) };
      expect(matchTrack(catalogue, lengths, facts)).toMatchObject({ ok: true, method: 'phrase-fingerprint', track: { title: sim.title } });
    }
    const pair = builtin('cdj-pair');
    const cdj = new Catalogue(simulatedUsbCatalogue('cdj-pair', simTracks(pair).values(), AT));
    const deepCut = simTracks(pair).get(601);
    if (deepCut === undefined) throw new Error('no track 601');
    const facts = { kind: 'cdj' as const, trackId: 601, bpm: 122, fingerprint: null, durationSeconds: Math.floor(trackLengthMs(deepCut) / 1000) };
    expect(matchTrack(cdj, new LengthIndex(cdj), facts)).toMatchObject({ ok: true, method: 'rekordbox-id', track: { title: 'Deep Cut' } });
  });

  it('puts the scenario’s cues on the grid, as rekordbox would store them', () => {
    const scenario: Scenario = {
      name: 'cues',
      rig: 'opus',
      tracks: [{ id: 7, title: 'Cued', bpm: 120, beats: 64, firstBeatMs: 10, cues: [{ beat: 33, name: 'DROP' }, { beat: 17, hotCue: 2 }] }],
      steps: [{ at: 0, do: 'load', deck: 1, track: 7 }],
    };
    const [track] = simulatedUsbCatalogue('cues', simTracks(scenario).values(), AT).tracks;
    expect(track?.cues.map((c) => [c.kind, c.hotCueLetter, c.name, c.timeMs])).toEqual([
      ['hot', 'B', '', 10 + 16 * 500],
      ['memory', null, 'DROP', 10 + 32 * 500],
    ]);
  });

  it('holds the synthetic tracks and the scenario’s export tracks together', () => {
    const scenario: Scenario = {
      name: 'both',
      rig: 'opus',
      library: EXPORT,
      tracks: [{ id: 7, title: 'Warm-up', bpm: 120, beats: 64 }],
      libraryTracks: [{ title: 'Demo Track 1', cues: [{ beat: 129, name: 'DROP' }] }],
      steps: [
        { at: 0, do: 'load', deck: 1, track: 7 },
        { at: 0, do: 'load', deck: 2, title: 'Demo Track 1' },
      ],
    };
    const data = simulatedUsb(scenario, readFileFromDisk, () => new Date(AT));
    if (data instanceof ScenarioError) throw new Error(data.message);
    expect(data.exports.map((e) => e.root)).toEqual([simulatedUsbRoot('both'), EXPORT]);
    expect(data.tracks[0]).toMatchObject({ id: 7, title: 'Warm-up', artist: SIMULATOR_ARTIST });
    expect(data.tracks.find((t) => t.title === 'Demo Track 1')?.cues.map((c) => c.name)).toEqual(['DROP']);
    expect(data.tracks).toHaveLength(1 + 6);
  });
});

describe('examples/scenarios/usb-demo.yaml', () => {
  it('parses, finds the fixture export relative to itself, and plays Demo Track 1 and 2 from it', () => {
    const scenario = loadScenarioFile(USB_DEMO);
    if (scenario instanceof ScenarioError) throw new Error(scenario.message);
    expect(scenario.library).toBe(path.join(REPO, 'test', 'fixtures', 'dylanljones__pyrekordbox', '.testdata', 'export'));
    const resolved = resolveLibraryTracks(scenario, readLibraryFromDisk);
    if (resolved instanceof ScenarioError) throw new Error(resolved.message);
    expect(resolved.tracks.map((t) => [t.id, t.title])).toEqual([
      [OPUS_LIBRARY_ID_OFFSET + 1, 'Demo Track 1'],
      [OPUS_LIBRARY_ID_OFFSET + 2, 'Demo Track 2'],
    ]);
    expect(simTracks(resolved).size).toBe(2);
    const data = simulatedUsb(scenario, readFileFromDisk);
    if (data instanceof ScenarioError) throw new Error(data.message);
    expect(data.tracks.find((t) => t.title === 'Demo Track 1')?.cues.length).toBeGreaterThan(0);
  });

  it('says in one sentence when the export is not there (a package installed from npm has no test fixtures)', () => {
    const scenario = loadScenarioFile(USB_DEMO);
    if (scenario instanceof ScenarioError) throw new Error(scenario.message);
    const missing = resolveLibraryTracks({ ...scenario, library: '/nonexistent/export' }, readLibraryFromDisk);
    expect(missing).toBeInstanceOf(ScenarioError);
    expect(String((missing as ScenarioError).message).split('\n')).toHaveLength(1);
    expect((missing as ScenarioError).message).toContain('cannot read the export /nonexistent/export');
  });
});
