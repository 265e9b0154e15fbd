import { proDjLinkDatagrams } from '../../../src/replay/replay-capture';
import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { isPacketError } from '../../../src/prolink/packets/errors';
import { ST_PACKET_COUNTER } from '../../../src/prolink/packets/cdj-status';
import { countByReason } from '../../../src/streams/plausibility/counters';
import { CAPTURES, readFixture } from '../../support/fixtures';
import { flipBits, judgeTimeline, kindOf, runTimeline, seeded, spoofStatus, timedCapture, type Timed } from './flood';

const MUTATED_KINDS = new Set(['keepAlive', 'cdjStatus', 'beat']);
/** A host on the show network that sends mutated copies of what it heard, at any time. */
const FLOODER = '169.254.200.66';
const MUTANTS_PER_PACKET = 6;
const SPOOFS = 20_000;
/** Real devices of the capture and their numbers (PROVENANCE §2). */
const REAL_DEVICES = ['CDJ-2000NXS2 #2', 'CDJ-2000NXS2 #3', 'rekordbox #41', 'VCDJ-2000NXS2 #21'];

/**
 * The 33-minute NXS2 capture with, for every keep-alive, status and beat
 * packet, six copies with 1–3 random bits flipped: most right after the
 * original from the same address (a switch or Wi-Fi bridge corrupting and
 * repeating frames), a fifth from another host at random times. Plus status
 * packets spoofed from unknown addresses for OPUS decks 9–12, for impossible
 * players (21, 33, 131, 240) and for the real players 2 and 3.
 */
function floodOf(real: readonly Timed[], seed: number): { mutants: Timed[]; spoofs: Timed[] } {
  const random = seeded(seed);
  const end = real[real.length - 1]?.at ?? 0;
  const mutants: Timed[] = [];
  for (const d of real) {
    if (!MUTATED_KINDS.has(kindOf(d))) continue;
    for (let n = 0; n < MUTANTS_PER_PACKET; n++) {
      const data = flipBits(d.data, 1 + Math.floor(random() * 3), random);
      const fromFlooder = random() < 0.2;
      mutants.push({ origin: 'mutant', port: d.port, address: fromFlooder ? FLOODER : d.address, data, at: fromFlooder ? random() * end : d.at + 0.1 + random() * 3 });
    }
  }
  const templates = real.filter((d) => kindOf(d) === 'cdjStatus' && d.address !== '192.168.0.103');
  const claims: readonly (readonly [string, number])[] = [
    ['OPUS-QUAD', 9], ['OPUS-QUAD', 10], ['OPUS-QUAD', 11], ['OPUS-QUAD', 12],
    ['CDJ-2000NXS2', 21], ['CDJ-2000NXS2', 33], ['CDJ-2000NXS2', 131], ['CDJ-2000NXS2', 240],
    ['CDJ-2000NXS2', 2], ['CDJ-2000NXS2', 3],
  ];
  const spoofs: Timed[] = [];
  for (let n = 0; n < SPOOFS; n++) {
    const template = templates[Math.floor(random() * templates.length)] as Timed;
    const [name, device] = claims[n % claims.length] as readonly [string, number];
    spoofs.push({ origin: 'spoof', port: 50002, address: `169.254.200.${1 + Math.floor(random() * 254)}`, data: spoofStatus(template.data, name, device, random), at: random() * end });
  }
  return { mutants, spoofs };
}

function tableOf(rows: Record<string, Record<string, number>>): string {
  return Object.entries(rows).map(([origin, counts]) => `  ${origin}: ${Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`).join('\n');
}

/** A believed mutant keep-alive must repeat a real device's identity exactly (only bytes no state reads were flipped). */
function identityOf(t: Timed): string | null {
  const p = decodePacket(t.port, t.data);
  return isPacketError(p) || p.kind !== 'keepAlive' ? null : `${t.address} ${p.name} #${p.device} ${p.mac} ${p.deviceType}`;
}

describe('a real capture mixed with mutated and spoofed packets', () => {
  const real = timedCapture(proDjLinkDatagrams(readFixture(...CAPTURES.nxs2)).datagrams);
  const { mutants, spoofs } = floodOf(real, 12);
  const mixed = [...real, ...mutants, ...spoofs].sort((a, b) => a.at - b.at);
  const clean = runTimeline(real);
  const flooded = runTimeline(mixed);
  const judged = judgeTimeline(mixed);

  it('produces exactly the events of the clean capture: the garbage adds, removes and changes none', () => {
    expect(flooded.events.length).toBe(clean.events.length);
    expect(flooded.events).toEqual(clean.events);
    expect([...flooded.deviceNames].sort()).toEqual([...REAL_DEVICES].sort());
  });

  it('believes no spoof, and no mutant that could change state', () => {
    expect(judged.believed['spoof'] ?? {}).toEqual({});
    const believed = judged.believed['mutant'] ?? {};
    // Beat packets: none. Status: only copies whose counter moved by exactly one, right after the original (see the report).
    expect(believed['beat'] ?? 0).toBe(0);
    expect(believed['cdjStatus'] ?? 0).toBeLessThanOrEqual(5);
    const realIdentities = new Set(real.map(identityOf));
    const believedKeepAlives = judged.believedFakes.filter((f) => f.kind === 'keepAlive');
    expect(believedKeepAlives.length).toBeGreaterThan(0);
    expect(believedKeepAlives.filter((f) => !realIdentities.has(identityOf(f.timed)))).toEqual([]);
  });

  it('refuses nothing real but the capture\'s own tool (#21, a virtual player) and what a believed copy displaced', () => {
    const refusedReal = judged.refused['real'] ?? {};
    expect(refusedReal['device-out-of-range']).toBe(664);
    const others = Object.entries(refusedReal).filter(([reason]) => reason !== 'device-out-of-range');
    expect(others.every(([reason]) => reason === 'counter-stale')).toBe(true);
    expect(others.reduce((n, [, count]) => n + count, 0)).toBeLessThanOrEqual(5);
    const lines = [
      `flood: ${real.length} real datagrams, ${mutants.length} mutated copies (${mutants.filter((m) => m.address === FLOODER).length} from another host), ${spoofs.length} spoofed status packets`,
      `events: clean ${clean.events.length}, flooded ${flooded.events.length}`,
      'believed:',
      tableOf(judged.believed),
      'refused:',
      tableOf(judged.refused),
      `implausible$ of the flooded run: ${JSON.stringify(countByReason(flooded.implausible))}`,
    ];
    console.log(lines.join('\n'));
  });
});

describe('the same flood on players without a packet counter (CDJ-3000s send 0)', () => {
  const real = timedCapture(proDjLinkDatagrams(readFixture(...CAPTURES.nxs2)).datagrams).map((d): Timed => {
    if (kindOf(d) !== 'cdjStatus' || d.data.length < ST_PACKET_COUNTER + 4) return d;
    const data = Buffer.from(d.data);
    data.writeUInt32BE(0, ST_PACKET_COUNTER);
    return { ...d, data };
  });
  const { mutants, spoofs } = floodOf(real, 13);
  const mixed = [...real, ...mutants, ...spoofs].sort((a, b) => a.at - b.at);
  const clean = runTimeline(real);
  const flooded = runTimeline(mixed);
  const judged = judgeTimeline(mixed);

  it('still makes no event for an impossible deck, no device from a mangled name, no load, play or master change, and believes no spoof', () => {
    const decks = new Set(flooded.events.flatMap((e) => (e.deck === null ? [] : [e.deck])));
    expect([...decks].every((d) => d === 2 || d === 3)).toBe(true);
    expect([...flooded.deviceNames].sort()).toEqual([...REAL_DEVICES].sort());
    expect(judged.believed['spoof'] ?? {}).toEqual({});
    const cleanSet = new Set(clean.events.map((e) => JSON.stringify(e)));
    const floodedSet = new Set(flooded.events.map((e) => JSON.stringify(e)));
    const added = flooded.events.filter((e) => !cleanSet.has(JSON.stringify(e)));
    const lost = clean.events.filter((e) => !floodedSet.has(JSON.stringify(e)));
    // Only beat events may differ: a real status that came right after another is taken from the device's next one, so a
    // beat number can be read one status later.
    expect(added.filter((e) => e.type !== 'beat')).toEqual([]);
    expect(lost.filter((e) => e.type !== 'beat')).toEqual([]);
    expect(added.length).toBeLessThanOrEqual(5);
    expect(judged.refused['real']?.['device-out-of-range']).toBe(664);
    console.log([
      `without counters: ${mutants.length} mutated copies, ${spoofs.length} spoofs`,
      `events: clean ${clean.events.length}, flooded ${flooded.events.length}, added ${added.length}, lost ${lost.length}`,
      `added by type: ${JSON.stringify(countByReason(added.map((e) => ({ reason: e.type as never }))))}`,
      ...added.map((e) => `  added ${JSON.stringify(e)}`),
      ...lost.map((e) => `  lost ${JSON.stringify(e)}`),
      'believed:',
      tableOf(judged.believed),
      'refused:',
      tableOf(judged.refused),
    ].join('\n'));
  });
});
