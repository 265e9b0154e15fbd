export { PhraseError, isPhraseError, type PhraseErrorCode } from './errors';
export {
  bankFromRaw,
  moodFromRaw,
  type Bank,
  type Mood,
  type Phrase,
  type PhraseKind,
  type SongStructure,
} from './song-structure';
export { phraseName, UNKNOWN_PHRASE, type PhraseName } from './phrase-names';
export { detectPssiMask, pssiMaskByte, unmaskMood, xorPssiMaskInPlace, type MaskDetection } from './pssi-mask';
export { parsePssiBody, parsePssiTag } from './pssi';
export {
  BEAT_NONE,
  NO_POSITION,
  phraseAtBeat,
  type AfterLastPhrase,
  type BeforeFirstPhrase,
  type InPhrase,
  type NoPosition,
  type PhrasePosition,
} from './phrase-at-beat';
export {
  findAnlzTag,
  findPssiTag,
  listAnlzTags,
  songStructureFromAnlz,
  type AnlzTagAbsent,
  type AnlzTagList,
  type AnlzTagFound,
  type AnlzTagLookup,
} from './anlz-file';
