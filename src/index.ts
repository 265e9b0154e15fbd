/**
 * prolink-bridge as a library: the streams, the packet codec, the mapping
 * engine and the bridge itself, with their types.
 */
export { createBridgeStreams, type BridgeStreams, type BridgeStreamsOptions } from './streams/bridge-streams';
export type { TimedDatagram, Received } from './streams/received';
export type { DeviceChange, DeviceInfo } from './streams/devices';
export type { MasterTempo } from './streams/master';
export type { Position } from './streams/positions';
export type { DeckState, PhraseInfo, PhraseMood } from './events/deck-state';
export type { BridgeEvent, BridgeEventType, BeatEvent, PhraseEvent, TrackEvent, DeckEvent, MasterEvent, TempoEvent, DeviceEvent } from './events/bridge-event';
export { decodePacket, PACKET_TABLE, type Packet, type PacketKind } from './prolink/packets';
export { PacketError } from './prolink/packets/errors';
export { parsePssiTag, phraseAtBeat, type SongStructure, type Phrase } from './prolink/phrases';
export { loadMappingPaths, parseMappingSources } from './mapping/load-mapping';
export { compileMapping } from './mapping/compile-mapping';
export type { CompiledMapping } from './mapping/compiled-mapping';
export { runEvent, initialMemory, type OutputCommand, type RunOptions } from './mapping/engine';
export { CommandList, type CommandSink } from './mapping/output-commands';
export { OscArgs } from './outputs/osc/osc-args';
export { MappingError } from './mapping/mapping-error';
export { mappingJsonSchema } from './mapping/schema';
export { startBridge, type RunningBridge, type BridgeOptions } from './app/bridge';
export { openUdpLink, monotonicScheduler, type Link } from './app/link';
export { openSimLink } from './app/sim-link';
export { openReplayLink } from './app/replay-link';
export { createLogger } from './log/logger';
