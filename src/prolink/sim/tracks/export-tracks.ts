/**
 * Tracks of a real rekordbox USB export, as the simulator plays them. A
 * scenario with `library:` names export tracks by title (in `libraryTracks`
 * as `{ title, cues? }`, or in a load step); each becomes an
 * ordinary track spec: the export's beat grid (first beat, its place in the
 * bar, the first tempo throughout: the deck model plays constant tempos), its
 * .EXT analysis file (whose PSSI is sent as stored, masked as on the USB) and
 * the ID a real player reports for it (§9: a CDJ the export.pdb ID, the
 * OPUS-QUAD a Device Library Plus ID, which is another number).
 *
 * And the other way: the scenario's cues written into the library tracks, so
 * a bridge given that library knows the cues the simulated decks play (the
 * fixture exports hold none). Pure; reading the export is passed in.
 */
import { siblingPaths } from '../../../library/anlz/read-track-analysis';
import { beatLengthMs } from '../../../library/anlz/grid-lookup';
import { analysisFile } from '../../../library/catalogue/export-location';
import type { GridBeat, LibraryCue, LibraryTrack } from '../../../library/library-track';
import type { CueSpec, ExportTrackSpec, Scenario, TrackSpec } from '../scenario';
import { ScenarioError } from '../scenario-error';

/** Reads the tracks of the export at a folder, or says in a sentence why it cannot. */
export type ReadLibrary = (folder: string) => readonly LibraryTrack[] | Error;

/** The simulated OPUS-QUAD reports this plus the export.pdb ID, unless the track gives its `id`. */
export const OPUS_LIBRARY_ID_OFFSET = 50_000;


function findByTitle(library: readonly LibraryTrack[], title: string, folder: string): LibraryTrack | ScenarioError {
  const exact = library.filter((t) => t.title === title);
  const found = exact.length > 0 ? exact : library.filter((t) => t.title.toLowerCase() === title.toLowerCase());
  if (found.length === 1) return found[0] as LibraryTrack;
  if (found.length > 1) return new ScenarioError('invalid', `${folder} has ${found.length} tracks titled "${title}" (IDs ${found.map((t) => t.id).join(', ')}); give each a title of its own`);
  const titles = library.map((t) => `"${t.title}"`).slice(0, 12);
  return new ScenarioError('invalid', `${folder} has no track titled "${title}" (it has ${titles.join(', ') || 'no tracks'}${library.length > titles.length ? ', …' : ''})`);
}

/** The spec of one export track, for the rig that plays it. */
export function exportTrackSpec(track: LibraryTrack, spec: Pick<ExportTrackSpec, 'id' | 'art' | 'cues'>, rig: Scenario['rig']): TrackSpec | ScenarioError {
  const first = track.grid[0];
  if (first === undefined) return new ScenarioError('unreadable', `"${track.title}" has no beat grid in its export (not analysed); the simulator plays analysed tracks only`);
  if (track.phrases === null && rig === 'opus') {
    return new ScenarioError('unreadable', `"${track.title}" has no phrase analysis (PSSI) in its export; the OPUS-QUAD sends one for every track, so analyse it with rekordbox 6 or later`);
  }
  const dat = analysisFile(track.source.exportRoot, track.source.analyzePath);
  if (dat === null) return new ScenarioError('unreadable', `"${track.title}": its analysis path ${track.source.analyzePath} is not usable`);
  return {
    id: spec.id ?? (rig === 'opus' ? OPUS_LIBRARY_ID_OFFSET + track.id : track.id),
    title: track.title,
    bpm: first.bpm,
    beats: Math.min(track.grid.length, 0xfffe),
    firstBeatMs: first.timeMs,
    firstBeatInBar: first.beatInBar,
    // Without phrases (CDJs only) no analysis file is named; CDJs send no PSSI anyway.
    ...(track.phrases === null ? {} : { anlz: siblingPaths(dat).ext }),
    ...(spec.art === undefined ? {} : { art: spec.art }),
    ...(spec.cues === undefined ? {} : { cues: spec.cues }),
  };
}

/**
 * The scenario with its export tracks read from the library: `libraryTracks`
 * and load steps naming a title no track has become entries of `tracks`.
 * A scenario without `library:` comes back as it is.
 */
export function resolveLibraryTracks(scenario: Scenario, readLibrary: ReadLibrary): Scenario | ScenarioError {
  const folder = scenario.library;
  if (folder === undefined) return scenario;
  const library = readLibrary(folder);
  if (library instanceof Error) return new ScenarioError('unreadable', `${scenario.name}: cannot read the export ${folder}: ${library.message}`);
  const wanted: ExportTrackSpec[] = [...(scenario.libraryTracks ?? [])];
  const titles = new Set([...scenario.tracks.map((t) => t.title ?? `Track ${t.id}`), ...wanted.map((t) => t.title)]);
  for (const step of scenario.steps) {
    if (step.do !== 'load' || step.title === undefined || titles.has(step.title)) continue;
    titles.add(step.title);
    wanted.push({ title: step.title });
  }
  const tracks: TrackSpec[] = [...scenario.tracks];
  const ids = new Set(tracks.map((t) => t.id));
  for (const want of wanted) {
    const found = findByTitle(library, want.title, folder);
    if (found instanceof ScenarioError) return new ScenarioError(found.code, `${scenario.name}: ${found.message}`);
    const spec = exportTrackSpec(found, want, scenario.rig);
    if (spec instanceof ScenarioError) return new ScenarioError(spec.code, `${scenario.name}: ${spec.message}`);
    if (ids.has(spec.id)) return new ScenarioError('invalid', `${scenario.name}: "${want.title}" would report ID ${spec.id}, which another track has; give it an \`id\``);
    ids.add(spec.id);
    // A load by title finds the track by the title it has in the export.
    tracks.push({ ...spec, title: want.title });
  }
  const { libraryTracks: _read, ...rest } = scenario;
  return { ...rest, tracks };
}

/** Track time (ms) of grid position `beat` (beat n at n, fractions between beats), extrapolated past the last beat. */
export function gridTimeOf(grid: readonly GridBeat[], beat: number): number | null {
  const whole = Math.floor(beat);
  const at = grid[whole - 1];
  if (at === undefined) {
    const last = grid[grid.length - 1];
    return last === undefined || whole < 1 ? null : last.timeMs + (beat - grid.length) * beatLengthMs(last.bpm);
  }
  const next = grid[whole];
  const length = next === undefined ? beatLengthMs(at.bpm) : next.timeMs - at.timeMs;
  return at.timeMs + (beat - whole) * length;
}

const HOT_CUE_LETTER_A = 0x41;

/** A scenario cue as rekordbox stores one in the export, on the track's grid. */
export function libraryCueOf(cue: CueSpec, grid: readonly GridBeat[]): LibraryCue | null {
  const timeMs = gridTimeOf(grid, cue.beat);
  if (timeMs === null) return null;
  const hot = cue.hotCue ?? null;
  return {
    kind: hot === null ? 'memory' : 'hot',
    hotCue: hot,
    hotCueLetter: hot === null ? null : String.fromCharCode(HOT_CUE_LETTER_A + hot - 1),
    timeMs: Math.round(timeMs),
    loopEndMs: null,
    name: cue.name ?? '',
    color: null,
    colorCode: 0,
  };
}

/**
 * The library as it would be if the DJ had set the scenario's cues in
 * rekordbox: each of its `libraryTracks` with cues gets them added (in time
 * order with the ones it has). Tracks the scenario does not name are kept as
 * they are.
 */
export function libraryWithScenarioCues(library: readonly LibraryTrack[], scenario: Scenario): LibraryTrack[] {
  const cuesByTitle = new Map((scenario.libraryTracks ?? []).map((t) => [t.title.toLowerCase(), t.cues ?? []]));
  return library.map((track) => {
    const added = cuesByTitle.get(track.title.toLowerCase()) ?? [];
    if (added.length === 0) return track;
    const cues = added.map((c) => libraryCueOf(c, track.grid)).filter((c): c is LibraryCue => c !== null);
    return { ...track, cues: [...track.cues, ...cues].sort((a, b) => a.timeMs - b.timeMs) };
  });
}
