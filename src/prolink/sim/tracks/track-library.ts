/**
 * Turns a scenario's track list into SimTracks: the PSSI tag comes from the
 * named analysis file when there is one (sent exactly as stored, so masked
 * when the file is an export), otherwise from the generated structure. File
 * reading is passed in, so this stays testable and the caller owns the IO.
 */
import { findPssiTag } from '../../phrases/anlz-file';
import { PhraseError } from '../../phrases/errors';
import { encodePssiTag } from '../encode/pssi';
import type { SimCue, SimTrack } from '../deck/track';
import type { CueSpec, Scenario, TrackSpec } from '../scenario';
import { ScenarioError } from '../scenario-error';
import { placeholderArt } from './placeholder-art';
import { syntheticSongStructure } from './synthetic-phrases';

/** Reads a file, or says in a sentence why it cannot. */
export type ReadFile = (path: string) => Buffer | Error;

function pssiFor(spec: TrackSpec, readFile: ReadFile): Buffer | ScenarioError {
  if (spec.anlz === undefined) {
    return encodePssiTag(syntheticSongStructure(spec.id, spec.beats), { masked: spec.maskPhrases ?? true });
  }
  const file = readFile(spec.anlz);
  if (file instanceof Error) return new ScenarioError('unreadable', `track ${spec.id}: cannot read the analysis file ${spec.anlz}: ${file.message}`);
  const lookup = findPssiTag(file);
  if (lookup instanceof PhraseError) return new ScenarioError('unreadable', `track ${spec.id}: ${spec.anlz} is not a usable analysis file: ${lookup.message}`);
  if (lookup.status === 'absent') {
    return new ScenarioError('unreadable', `track ${spec.id}: ${spec.anlz} has no PSSI (phrase) tag, only ${lookup.tagsSeen.join(', ') || 'no tags'}; use the .EXT file of a rekordbox 6+ analysis`);
  }
  return Buffer.from(lookup.tag);
}

/** The scenario's cues as the deck plays them, in beat order. */
export function simCues(cues: readonly CueSpec[] | undefined): readonly SimCue[] {
  return (cues ?? []).map((c) => ({ beat: c.beat, name: c.name ?? '', hotCue: c.hotCue ?? null })).sort((a, b) => a.beat - b.beat);
}

export function trackFromSpec(spec: TrackSpec, readFile: ReadFile): SimTrack | ScenarioError {
  const pssi = pssiFor(spec, readFile);
  if (pssi instanceof ScenarioError) return pssi;
  return {
    id: spec.id,
    title: spec.title ?? `Track ${spec.id}`,
    bpm: spec.bpm,
    beats: spec.beats,
    firstBeatMs: spec.firstBeatMs ?? 0,
    firstBeatInBar: spec.firstBeatInBar ?? 1,
    pssi,
    art: spec.art === false ? null : placeholderArt(spec.id),
    cues: simCues(spec.cues),
  };
}

export function tracksOf(scenario: Scenario, readFile: ReadFile): ReadonlyMap<number, SimTrack> | ScenarioError {
  const tracks = new Map<number, SimTrack>();
  for (const spec of scenario.tracks) {
    const track = trackFromSpec(spec, readFile);
    if (track instanceof ScenarioError) return track;
    tracks.set(track.id, track);
  }
  return tracks;
}
