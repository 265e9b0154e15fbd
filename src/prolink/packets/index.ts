/** The Pro DJ Link packet codec: pure decoders, encoders and the (port, type) dispatch. */
export { PacketError, isPacketError } from './errors';
export type { PacketErrorCode } from './errors';
export { EncodeError, parseIpv4, parseMac } from './encode';
export type { EncodeErrorCode, Ipv4Address, MacAddress } from './encode';
export { PORT_ANNOUNCE, PORT_BEAT, PORT_STATUS, OPUS_NAME, opusDeck } from './header';
export type { Packet, PacketKind, PacketOf } from './packet';
export { PACKET_KINDS, isPacketKind } from './packet';
export { PACKET_TABLE, decodePacket, packetEntryFor } from './dispatch';
export type { PacketDecoder, PacketTableEntry } from './dispatch';
export type { DeviceType } from './device-type';
export type { PlayState, SlotName, TrackType } from './status-names';

export { decodeKeepAlive, encodeCdjKeepAlive, encodeLightingKeepAlive, LIGHTING_DEVICE } from './keep-alive';
export type { CdjKeepAliveOptions, KeepAlive, LightingKeepAliveOptions } from './keep-alive';
export {
  decodeAssignIntent,
  decodeAssignment,
  decodeAssignmentDone,
  decodeClaim1,
  decodeClaim2,
  decodeClaim3,
  decodeConflict,
  decodeHello,
} from './claim';
export type {
  AssignIntent,
  Assignment,
  AssignmentDone,
  Claim1,
  Claim2,
  Claim3,
  ClaimPacket,
  Conflict,
  Hello,
} from './claim';
export { encodeClaim1, encodeClaim2, encodeClaim3, encodeConflict, encodeHello } from './claim-encode';
export type { Claim1Options, Claim2Options, Claim3Options, ConflictOptions, HelloOptions } from './claim-encode';

export { decodeBeat } from './beat';
export type { Beat } from './beat';
export { decodePrecisePosition } from './precise-position';
export type { PrecisePosition } from './precise-position';
export { decodeOnAir } from './on-air';
export type { OnAir } from './on-air';
export { decodeFaderStart } from './fader-start';
export type { FaderCommand, FaderStart } from './fader-start';
export { decodeMasterRequest, decodeMasterResponse, decodeSyncControl } from './master-sync';
export type { MasterRequest, MasterResponse, SyncCommand, SyncControl } from './master-sync';

export { decodeCdjStatus } from './cdj-status';
export type { CdjStatus } from './cdj-status';
export { decodeMixerStatus } from './mixer-status';
export type { MixerStatus } from './mixer-status';
export { decodeOpusHello, decodeStatusRequest, encodeStatusRequest } from './status-request';
export type { OpusHello, StatusRequest, StatusRequestOptions } from './status-request';
export { decodePhraseRequest, encodeConstantPhraseRequest, encodePhraseRequest } from './phrase-request';
export type { PhraseRequest, PhraseRequestOptions } from './phrase-request';
export { DATA_TYPE_ART, DATA_TYPE_PSSI, DATA_TYPE_TRACK_CHANGE, decodeBinaryChunk } from './binary-chunk';
export type { BinaryChunk } from './binary-chunk';
export { decodeMediaQuery, decodeMediaResponse } from './media';
export type { MediaQuery, MediaResponse } from './media';
export { decodeUnknown } from './unknown';
export type { UnknownPacket } from './unknown';
