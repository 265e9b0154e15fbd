import { ProlinkSession } from '../../../src/prolink/network/session';
import type { Identity, Outgoing, SessionStep } from '../../../src/prolink/network/session-types';
import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { decodeKeepAlive, encodeCdjKeepAlive, encodeLightingKeepAlive } from '../../../src/prolink/packets/keep-alive';
import { encodeStatusRequest } from '../../../src/prolink/packets/status-request';
import { encodePhraseRequest } from '../../../src/prolink/packets/phrase-request';
import { encodeClaim2, encodeConflict } from '../../../src/prolink/packets/claim-encode';
import { MAGIC, writeName } from '../../../src/prolink/packets/header';
import { isPacketError } from '../../../src/prolink/packets/errors';
import type { Packet } from '../../../src/prolink/packets/packet';
import { readFixture } from '../../support/fixtures';

const us: Identity = { address: '169.254.1.2', mac: '02:00:00:00:00:02', broadcast: '169.254.255.255', hostName: 'showlaptop' };
const OPUS_IP = '169.254.9.9';
const CDJ_IP = '169.254.3.3';

function decoded(port: number, buf: Buffer): Packet {
  const packet = decodePacket(port, buf);
  if (isPacketError(packet)) throw new Error(String(packet));
  return packet;
}

const opusKeepAlive = decoded(50000, encodeCdjKeepAlive({ name: 'OPUS-QUAD', device: 9, mac: '02:00:00:00:00:09', ip: OPUS_IP }));

/** The 36-byte 0x10 greeting of §2.5 (name OPUS-QUAD, 0x1f=01, 0x20=00, 0x21=09, len_r 0). */
function opusHelloBytes(): Buffer {
  const buf = Buffer.alloc(0x24);
  MAGIC.copy(buf, 0);
  buf[0x0a] = 0x10;
  writeName(buf, 0x0b, 'OPUS-QUAD');
  buf[0x1f] = 0x01;
  buf[0x21] = 0x09;
  return buf;
}
const opusHello = decoded(50002, opusHelloBytes());

/** A real captured status packet (prolink-connect's), re-labelled as coming from OPUS deck 1. */
function opusStatus(): Packet {
  const buf = Buffer.from(readFixture('evanpurkhiser__prolink-connect', 'tests', '_data', 'status-simple.dat'));
  writeName(buf, 0x0b, 'OPUS-QUAD');
  buf[0x21] = 9;
  buf[0x24] = 9;
  return decoded(50002, buf);
}

function kinds(sent: readonly Outgoing[]): string[] {
  return sent.map((o) => `${decoded(o.port, o.data).kind}->${o.address}:${o.port}`);
}

function codes(s: SessionStep): string[] {
  return s.notices.map((n) => n.code);
}

describe('lighting mode', () => {
  it('broadcasts the byte-exact rekordbox keep-alive every 1.5 s', () => {
    const session = new ProlinkSession({ mode: 'lighting', identity: us });
    const first = session.start(0);
    expect(first.send).toHaveLength(1);
    expect(first.send[0]?.data.equals(encodeLightingKeepAlive({ mac: us.mac, ip: us.address }))).toBe(true);
    expect(first.send[0]).toMatchObject({ port: 50000, address: '169.254.255.255' });
    expect(session.tick(1499).send).toEqual([]);
    expect(kinds(session.tick(1500).send)).toEqual(['keepAlive->169.254.255.255:50000']);
  });

  it('answers the OPUS-QUAD 0x10 with 0x11 at once, repeats it with each keep-alive, and notices status flowing', () => {
    const session = new ProlinkSession({ mode: 'lighting', identity: us });
    session.start(0);
    expect(codes(session.receive(opusKeepAlive, OPUS_IP, 100))).toEqual(['opus-found']);
    const answer = session.receive(opusHello, OPUS_IP, 200);
    expect(answer.send).toHaveLength(1);
    expect(answer.send[0]?.data.equals(encodeStatusRequest({ hostName: 'showlaptop' }))).toBe(true);
    expect(answer.send[0]).toMatchObject({ port: 50002, address: OPUS_IP });
    expect(kinds(session.tick(1500).send)).toEqual(['keepAlive->169.254.255.255:50000', 'statusRequest->169.254.9.9:50002']);
    expect(codes(session.receive(opusStatus(), OPUS_IP, 1600))).toEqual(['opus-streaming']);
    expect(codes(session.receive(opusStatus(), OPUS_IP, 1800))).toEqual([]);
    expect(session.state).toMatchObject({ role: 'lighting', deviceNumber: 0x17, opusAddress: OPUS_IP, streaming: true });
  });

  it('notices an OPUS-QUAD that goes silent and greets it again when it restarts', () => {
    const session = new ProlinkSession({ mode: 'lighting', identity: us });
    session.start(0);
    session.receive(opusHello, OPUS_IP, 100);
    session.receive(opusStatus(), OPUS_IP, 300);
    expect(codes(session.tick(10_299))).toEqual([]);
    const lost = session.tick(10_301);
    expect(codes(lost)).toEqual(['opus-lost']);
    expect(session.state.streaming).toBe(false);
    // While it is gone, keep-alives continue but no 0x11 is sent to nobody.
    expect(kinds(session.tick(12_000).send)).toEqual(['keepAlive->169.254.255.255:50000']);
    const back = session.receive(opusHello, OPUS_IP, 20_000);
    expect(codes(back)).toEqual(['opus-back']);
    expect(kinds(back.send)).toEqual(['statusRequest->169.254.9.9:50002']);
    expect(codes(session.receive(opusStatus(), OPUS_IP, 20_200))).toEqual(['opus-streaming']);
    expect(session.state.streaming).toBe(true);
  });

  it('takes each status of the streaming OPUS-QUAD as a sign of life, answering nothing', () => {
    const session = new ProlinkSession({ mode: 'lighting', identity: us });
    session.start(0);
    session.receive(opusHello, OPUS_IP, 100);
    expect(codes(session.receive(opusStatus(), OPUS_IP, 300))).toEqual(['opus-streaming']);
    const status = session.receive(opusStatus(), OPUS_IP, 5000);
    expect(status).toEqual({ send: [], notices: [] });
    expect(codes(session.tick(10_301))).toEqual([]);
    expect(codes(session.tick(15_001))).toEqual(['opus-lost']);
    // Another OPUS's status is still news.
    expect(codes(session.receive(opusStatus(), '169.254.9.10', 15_100))).toEqual(['opus-found', 'opus-streaming']);
  });

  it('warns once about a second OPUS-QUAD and keeps following the first', () => {
    const session = new ProlinkSession({ mode: 'lighting', identity: us });
    session.start(0);
    session.receive(opusHello, OPUS_IP, 100);
    const second = session.receive(opusHello, '169.254.9.10', 150);
    expect(codes(second)).toEqual(['two-opus']);
    expect(second.notices[0]?.message).toContain('connect only one');
    expect(second.send).toEqual([]);
    expect(codes(session.receive(opusHello, '169.254.9.10', 250))).toEqual([]);
    expect(session.state.opusAddress).toBe(OPUS_IP);
  });

  it('moves off device number 23 when another device uses it', () => {
    const session = new ProlinkSession({ mode: 'lighting', identity: us });
    session.start(0);
    const other = decoded(50000, encodeLightingKeepAlive({ mac: '02:00:00:00:00:77', ip: '169.254.7.7' }));
    expect(codes(session.receive(other, '169.254.7.7', 10))).toEqual(['number-taken']);
    expect(session.state.deviceNumber).toBe(0x13);
    const next = session.tick(1500).send[0];
    expect(next !== undefined && decodeKeepAlive(next.data)).toMatchObject({ device: 0x13, name: 'rekordbox' });
  });

  it('asks the OPUS-QUAD for phrases only once it is known', () => {
    const session = new ProlinkSession({ mode: 'lighting', identity: us });
    session.start(0);
    expect(session.requestPhrases(9, 184)).toBeNull();
    session.receive(opusHello, OPUS_IP, 100);
    const request = session.requestPhrases(9, 184);
    expect(request?.address).toBe(OPUS_IP);
    expect(request?.port).toBe(50002);
    expect(request?.data.equals(encodePhraseRequest({ trackId: 184, deckDevice: 9 }))).toBe(true);
  });
});

describe('cdj mode', () => {
  function run(session: ProlinkSession, from: number, to: number): Outgoing[] {
    const sent: Outgoing[] = [];
    for (let t = from; t <= to; t += 50) sent.push(...session.tick(t).send);
    return sent;
  }

  it('claims device number 7 with the hello and claim stages, then keeps alive', () => {
    const session = new ProlinkSession({ mode: 'cdj', identity: us });
    const sent = [...session.start(0).send, ...run(session, 50, 4500)];
    expect(sent.map((o) => decoded(o.port, o.data).kind)).toEqual([
      'hello', 'hello', 'hello', 'claim1', 'claim1', 'claim1', 'claim2', 'claim2', 'claim2', 'claim3', 'keepAlive', 'keepAlive',
    ]);
    const claim2 = decoded(50000, sent[6]?.data ?? Buffer.alloc(0));
    expect(claim2).toMatchObject({ kind: 'claim2', device: 7, ip: us.address, mac: us.mac, sequence: 1 });
    const keepAlive = decoded(50000, sent[10]?.data ?? Buffer.alloc(0));
    expect(keepAlive).toMatchObject({ kind: 'keepAlive', device: 7, deviceType: 'player', ip: us.address });
    expect(session.state).toMatchObject({ role: 'cdj', deviceNumber: 7 });
  });

  it('moves to the next free number on a conflict while claiming', () => {
    const session = new ProlinkSession({ mode: 'cdj', identity: us });
    session.start(0);
    run(session, 50, 2000);
    const conflict = decoded(50000, encodeConflict({ name: 'CDJ-3000', device: 7, ip: CDJ_IP }));
    expect(codes(session.receive(conflict, CDJ_IP, 2010))).toEqual(['number-conflict']);
    const sent = run(session, 2050, 4500).map((o) => decoded(o.port, o.data));
    expect(sent[0]).toMatchObject({ kind: 'claim1', sequence: 1 });
    expect(sent.find((p) => p.kind === 'claim2')).toMatchObject({ device: 8 });
    expect(sent.at(-1)).toMatchObject({ kind: 'keepAlive', device: 8 });
  });

  it('defends the number it owns against a later claimant', () => {
    const session = new ProlinkSession({ mode: 'cdj', identity: us });
    session.start(0);
    run(session, 50, 4000);
    const claim = decoded(50000, encodeClaim2({ name: 'CDJ-2000NXS2', ip: CDJ_IP, mac: '02:00:00:00:00:33', device: 7, sequence: 1, autoAssign: false }));
    const defence = session.receive(claim, CDJ_IP, 4100);
    expect(defence.send.map((o) => [o.address, o.port, decoded(o.port, o.data)])).toEqual([
      [CDJ_IP, 50000, expect.objectContaining({ kind: 'conflict', device: 7, ip: us.address })],
    ]);
    expect(session.state.deviceNumber).toBe(7);
  });
});

describe('auto and passive modes', () => {
  it('auto joins in lighting mode as soon as an OPUS-QUAD is heard', () => {
    const session = new ProlinkSession({ mode: 'auto', identity: us });
    expect(session.start(0).send).toEqual([]);
    expect(session.tick(5000).send).toEqual([]);
    const joined = session.receive(opusKeepAlive, OPUS_IP, 5100);
    expect(codes(joined)).toEqual(['mode', 'opus-found']);
    expect(kinds(joined.send)).toEqual(['keepAlive->169.254.255.255:50000']);
    expect(session.state.role).toBe('lighting');
  });

  it('auto becomes a virtual CDJ when only players answer, avoiding their numbers', () => {
    const session = new ProlinkSession({ mode: 'auto', identity: us });
    session.start(0);
    const cdj7 = decoded(50000, encodeCdjKeepAlive({ name: 'CDJ-3000', device: 7, mac: '02:00:00:00:00:07', ip: CDJ_IP }));
    expect(session.receive(cdj7, CDJ_IP, 1000).send).toEqual([]);
    expect(session.tick(3999).send).toEqual([]);
    const joined = session.tick(4000);
    expect(codes(joined)).toEqual(['mode']);
    expect(session.state).toMatchObject({ role: 'cdj', deviceNumber: 8 });
  });

  it('passive never sends anything', () => {
    const session = new ProlinkSession({ mode: 'passive', identity: us });
    const all = [session.start(0), session.receive(opusHello, OPUS_IP, 10), session.receive(opusKeepAlive, OPUS_IP, 20), session.tick(60_000)];
    expect(all.flatMap((s) => s.send)).toEqual([]);
    expect(session.state.role).toBe('passive');
  });
});
