export * from './capture-error';
export * from './frame';
export * from './link-types';
export { captureFormat, readFrames } from './read-frames';
export { readUdpDatagrams, collectUdpDatagrams } from './udp-datagrams';
export type { UdpDatagram, CaptureSummary, CaptureContents } from './udp-datagrams';
export { PcapngWriter, writePcapng } from './pcapng-writer';
export type { PcapngWriterOptions } from './pcapng-writer';
export type { OutgoingDatagram } from './ipv4-encode';
