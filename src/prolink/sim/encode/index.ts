/** Encoders for the packets DJ gear sends (which the codec only decodes), and the PSSI tag. */
export { encodeCdjStatus, flagsByte, STATUS_LENGTH_CDJ3000, STATUS_LENGTH_NEXUS, STATUS_LENGTH_NXS2 } from './cdj-status';
export type { CdjStatusFields } from './cdj-status';
export { encodeBeat } from './beat';
export type { BeatFields } from './beat';
export { encodePrecisePosition } from './precise-position';
export type { PrecisePositionFields } from './precise-position';
export { encodeOpusHello } from './opus-hello';
export type { OpusHelloFields } from './opus-hello';
export { CHUNK_PAYLOAD_MAX, encodeBinaryChunk, encodeTransfer } from './binary-chunk';
export type { BinaryChunkFields, TransferFields } from './binary-chunk';
export { encodeMixerKeepAlive, encodeMixerStatus, encodeOnAir } from './mixer';
export type { MixerKeepAliveFields, MixerStatusFields, OnAirFields } from './mixer';
export { encodePssiTag } from './pssi';
export type { PssiEncodeOptions, PssiInput, PssiPhraseInput } from './pssi';
export { pitchPercentOfRaw, pitchRaw } from './shape-b';
