/**
 * The phrase fingerprint: the same for every copy of one analysis (masked on
 * a USB export, clear in rekordbox's local store, sent by an OPUS-QUAD in 0x56
 * chunks), different for different analyses.
 */
import fc from 'fast-check';
import { Subject, VirtualTimeScheduler } from 'rxjs';
import { readTrackAnalysis } from '../../../src/library/anlz';
import { decodeBinaryChunk, DATA_TYPE_PSSI, type BinaryChunk } from '../../../src/prolink/packets/binary-chunk';
import { isPacketError } from '../../../src/prolink/packets/errors';
import { findPssiTag, songStructureFromAnlz } from '../../../src/prolink/phrases/anlz-file';
import { PhraseError } from '../../../src/prolink/phrases/errors';
import { FINGERPRINT_HEX_LENGTH, phraseFingerprint } from '../../../src/prolink/phrases/phrase-fingerprint';
import { parsePssiBody, parsePssiTag } from '../../../src/prolink/phrases/pssi';
import type { Phrase, SongStructure } from '../../../src/prolink/phrases/song-structure';
import { encodePssiTag, encodeTransfer } from '../../../src/prolink/sim/encode';
import { metadataTransfers, type MetadataOutput } from '../../../src/streams/metadata-transfers';
import type { Received } from '../../../src/streams/received';
import { readFixture } from '../../support/fixtures';
import { pyrekordboxDat, rekordcrateDat } from '../../library/anlz/anlz-fixtures';
import { ANLZ, HIGH_BODY, readAnlz } from './anlz-fixtures';

function structure(result: SongStructure | null | PhraseError): SongStructure {
  if (result === null || result instanceof PhraseError) throw new Error(`no phrases: ${String(result)}`);
  return result;
}

function pssiTagOf(parts: readonly string[]): Buffer {
  const lookup = findPssiTag(readAnlz(parts));
  if (lookup instanceof PhraseError || lookup.status !== 'found') throw new Error('no PSSI tag');
  return Buffer.from(lookup.tag);
}

const fingerprintOf = (parts: readonly string[]): string =>
  phraseFingerprint(structure(songStructureFromAnlz(readAnlz(parts))));
const highBody = (): SongStructure => structure(parsePssiBody(readFixture(...HIGH_BODY)));

describe('phrase fingerprint of real analyses', () => {
  it('is 16 hex digits', () => {
    expect(fingerprintOf(ANLZ.demo1Export)).toMatch(new RegExp(`^[0-9a-f]{${FINGERPRINT_HEX_LENGTH}}$`));
  });

  it.each([
    ['Demo Track 1', ANLZ.demo1Export, ANLZ.demo1Local, ANLZ.demo1Rekordcrate],
    ['Demo Track 2', ANLZ.demo2Export, ANLZ.demo2Local, ANLZ.demo2Rekordcrate],
  ] as const)(
    '%s: the masked export, the clear local copy and the second export agree',
    (_name, exported, local, second) => {
      const masked = structure(songStructureFromAnlz(readAnlz(exported)));
      const clear = structure(songStructureFromAnlz(readAnlz(local)));
      expect([masked.masked, clear.masked]).toEqual([true, false]);
      expect(pssiTagOf(exported).equals(pssiTagOf(local))).toBe(false);
      expect(phraseFingerprint(clear)).toBe(phraseFingerprint(masked));
      expect(fingerprintOf(second)).toBe(phraseFingerprint(masked));
    },
  );

  it('tells Demo Track 1, Demo Track 2 and the high-mood sample track apart', () => {
    const all = [fingerprintOf(ANLZ.demo1Export), fingerprintOf(ANLZ.demo2Export), phraseFingerprint(highBody())];
    expect(new Set(all).size).toBe(3);
  });

  it('is what readTrackAnalysis reports for the track', () => {
    expect(readTrackAnalysis(pyrekordboxDat('demo1')).phraseFingerprint).toBe(fingerprintOf(ANLZ.demo1Local));
    expect(readTrackAnalysis(rekordcrateDat('demo2')).phraseFingerprint).toBe(fingerprintOf(ANLZ.demo2Local));
  });

  it("stays the same for the sample track's phrase body, however it is stored", () => {
    const body = highBody();
    // Pinned: a fingerprint kept in a catalogue must still match after the code changes.
    expect(phraseFingerprint(body)).toBe(PINNED_HIGH_FINGERPRINT);
    const prefix = Buffer.alloc(12);
    prefix.write('PSSI', 0, 'latin1');
    prefix.writeUInt32BE(0x20, 4);
    const bodyBytes = readFixture(...HIGH_BODY);
    prefix.writeUInt32BE(12 + bodyBytes.length, 8);
    expect(phraseFingerprint(structure(parsePssiTag(Buffer.concat([prefix, bodyBytes]))))).toBe(
      PINNED_HIGH_FINGERPRINT,
    );
    for (const masked of [true, false]) {
      expect(phraseFingerprint(structure(parsePssiTag(encodePssiTag(body, { masked }))))).toBe(PINNED_HIGH_FINGERPRINT);
    }
  });
});

const PINNED_HIGH_FINGERPRINT = '9e97f1f68ea8a077';

describe('phrase fingerprint coverage', () => {
  const base = highBody();
  const first = base.phrases[0] as Phrase;
  const withFirst = (change: Partial<Phrase>): SongStructure => ({
    ...base,
    phrases: [{ ...first, ...change }, ...base.phrases.slice(1)],
  });

  it('changes with every field of the analysis', () => {
    const variants: SongStructure[] = [
      { ...base, moodRaw: 2 },
      { ...base, endBeat: base.endBeat + 1 },
      { ...base, bankRaw: 3 },
      { ...base, phrases: base.phrases.slice(1) },
      withFirst({ index: 99 }),
      withFirst({ beat: first.beat + 1 }),
      withFirst({ kindRaw: first.kindRaw + 1 }),
      withFirst({ k1: first.k1 ^ 1 }),
      withFirst({ k2: first.k2 ^ 1 }),
      withFirst({ k3: first.k3 ^ 1 }),
      withFirst({ b: first.b ^ 1 }),
      withFirst({ beat2: first.beat2 + 1 }),
      withFirst({ beat3: first.beat3 + 1 }),
      withFirst({ beat4: first.beat4 + 1 }),
      withFirst({ fill: true, fillBeat: 0 }),
      withFirst({ fill: true, fillBeat: 5 }),
    ];
    const prints = variants.map(phraseFingerprint);
    expect(new Set([phraseFingerprint(base), ...prints]).size).toBe(variants.length + 1);
  });

  it('ignores how the tag was stored and the names derived from it', () => {
    expect(phraseFingerprint({ ...base, masked: !base.masked })).toBe(phraseFingerprint(base));
    expect(phraseFingerprint({ ...base, mood: 'unknown', bank: 'unknown' })).toBe(phraseFingerprint(base));
    expect(phraseFingerprint(withFirst({ label: 'Other', kind: 'unknown' }))).toBe(phraseFingerprint(base));
  });

  it('is the same for an encoded structure masked or clear, for random analyses', () => {
    const phrase = fc.record({
      beat: fc.integer({ min: 1, max: 2000 }),
      kindRaw: fc.integer({ min: 1, max: 10 }),
      k1: fc.integer({ min: 0, max: 1 }),
      k2: fc.integer({ min: 0, max: 1 }),
      k3: fc.integer({ min: 0, max: 1 }),
      fill: fc.boolean(),
      fillBeat: fc.integer({ min: 1, max: 2000 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(phrase, { maxLength: 40 }), (moodRaw, phrases) => {
        const input = { moodRaw, endBeat: 2001, phrases };
        const masked = structure(parsePssiTag(encodePssiTag(input, { masked: true })));
        const clear = structure(parsePssiTag(encodePssiTag(input, { masked: false })));
        expect(phraseFingerprint(masked)).toBe(phraseFingerprint(clear));
      }),
      { numRuns: 200, seed: 20261203 },
    );
  });
});

describe('phrase fingerprint of what an OPUS-QUAD sends', () => {
  it('matches the file once the .EXT tag has gone through 0x56 chunks, the packet decoder and the metadata stream', () => {
    const dat = pyrekordboxDat('demo1');
    const tag = pssiTagOf(ANLZ.demo1Export);
    // The OPUS-QUAD sends the tag as the .EXT holds it (masked), in chunks of at most 1368 bytes; small ones here.
    const datagrams = encodeTransfer({ device: 9, dataType: DATA_TYPE_PSSI, trackId: 1 }, tag, 100);
    const chunks = datagrams.map((d) => {
      const decoded = decodeBinaryChunk(d);
      if (isPacketError(decoded)) throw new Error(String(decoded));
      return decoded;
    });
    expect(chunks.length).toBeGreaterThan(1);

    const scheduler = new VirtualTimeScheduler(undefined, 10_000);
    const chunk$ = new Subject<Received<BinaryChunk>>();
    const load$ = new Subject<{ deck: number; deckDevice: number; trackId: number }>();
    const out: MetadataOutput[] = [];
    metadataTransfers(chunk$, load$, scheduler, { retryAfterMs: 1000, maxAttempts: 2, checkEveryMs: 100 }).subscribe(
      (o) => out.push(o),
    );
    scheduler.schedule(() => load$.next({ deck: 1, deckDevice: 9, trackId: 1 }), 0);
    scheduler.schedule(() => chunks.forEach((packet) => chunk$.next({ packet, address: '169.254.9.9', at: 20 })), 20);
    scheduler.flush();

    const received = out.flatMap((o) => (o.kind === 'structure' ? [o.structure] : []));
    expect(received).toHaveLength(1);
    const fromNetwork = phraseFingerprint(received[0] as SongStructure);
    expect(fromNetwork).toBe(readTrackAnalysis(dat).phraseFingerprint);
    expect(fromNetwork).toBe(fingerprintOf(ANLZ.demo1Local));
  });
});
