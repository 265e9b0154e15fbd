/**
 * rekordbox analysis files (ANLZ .DAT/.EXT/.2EX): beat grid, cues, phrases
 * and audio path of one track, read from disk or from bytes.
 */
export { readTrackAnalysis, siblingPaths } from './read-track-analysis';
export {
  analysisFromBuffers,
  type AnlzFileBytes,
  type AnlzFileNames,
  type AnlzFiles,
  type AnlzUnreadable,
  type TrackAnalysis,
} from './track-analysis';
export { AnlzError, TagFault, isTagFault, type AnlzErrorCode } from './errors';
export { parseBeatGridTag } from './beat-grid';
export { parsePathTag } from './audio-path';
export { parseCueListBody, parseCueListTag } from './cue-list';
export { parseExtendedCueListBody, parseExtendedCueListTag } from './extended-cue-list';
export { hotCueLetter, type CueListReading } from './cue-entry';
export { compareCues, mergeCues } from './cue-merge';
export {
  beatAtTime,
  beatLengthMs,
  lastBeatIndexAtOrBefore,
  nearestBeat,
  tempoChanges,
  timeOfBeat,
  type BeatAtTime,
  type NearestBeat,
  type TempoChange,
} from './grid-lookup';
