import * as path from 'node:path';
import { Subject, VirtualTimeScheduler } from 'rxjs';
import { createBridgeStreams } from '../../src/streams/bridge-streams';
import type { TimedDatagram } from '../../src/streams/received';
import type { DeckState } from '../../src/events/deck-state';
import type { BridgeEvent, PhraseEvent } from '../../src/events/bridge-event';
import type { MetadataOutput } from '../../src/streams/metadata-transfers';
import { DATA_TYPE_PSSI } from '../../src/prolink/packets/binary-chunk';
import { findPssiTag } from '../../src/prolink/phrases/anlz-file';
import { PORT_STATUS } from '../../src/prolink/packets/header';
import { readFixture } from '../support/fixtures';
import { chunkBytes } from './chunk-bytes';
import { statusBytes } from './status-bytes';

/** Demo Track 1's PSSI tag as an OPUS-QUAD would send it (phrases 1 Chorus [1-37), 2 Verse 1 [37-73), …). */
function demoTrack1Tag(): Buffer {
  const file = readFixture(...path.join('Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks', 'PIONEER', 'USBANLZ', 'P016', '0000875E', 'ANLZ0000.EXT').split(path.sep));
  const found = findPssiTag(file);
  if (!('status' in found) || found.status !== 'found') throw new Error('no PSSI in fixture');
  return found.tag;
}

const OPUS = '169.254.9.9';
const BEAT_MS = 480; // 125 BPM

describe('the stream layer from OPUS status and 0x56 bytes to phrases', () => {
  it('requests phrase data on a load, starts the current phrase when it arrives, follows the beats, and ends it on a new track', () => {
    const virtual = new VirtualTimeScheduler(undefined, 10_000);
    const input = new Subject<TimedDatagram>();
    const streams = createBridgeStreams(input, { scheduler: virtual, phraseRetryMs: 60_000 });
    const requests: string[] = [];
    const phrases: string[] = [];
    const events: string[] = [];
    const decks: { at: number; state: DeckState }[] = [];
    const label = (e: PhraseEvent): string => `${e.type} ${e.phrase.index} ${e.phrase.label}`;
    streams.metadata$.subscribe((m: MetadataOutput) => {
      if (m.kind === 'request') requests.push(`${m.deck}/${m.deckDevice}/${m.trackId}#${m.attempt}`);
    });
    streams.phrases$.subscribe((e) => phrases.push(label(e)));
    streams.events$.subscribe((e: BridgeEvent) => {
      if (e.type === 'phrase.start' || e.type === 'phrase.end' || e.type === 'phrase.fill') events.push(label(e));
    });
    streams.decks$.subscribe((state) => decks.push({ at: virtual.now(), state }));

    // Deck 1 plays track 184 from beat 30; at 4 s it loads track 185 and plays it from beat 1.
    const at = (ms: number, data: Buffer): void => {
      virtual.schedule(() => input.next({ port: PORT_STATUS, address: OPUS, data, at: virtual.now() }), ms);
    };
    for (let t = 0; t <= 6000; t += 200) {
      const track = t < 4000 ? 184 : 185;
      const beat = t < 4000 ? 30 + Math.floor(t / BEAT_MS) : 1 + Math.floor((t - 4000) / BEAT_MS);
      at(t, statusBytes({ name: 'OPUS-QUAD', device: 9, trackId: track, playing: true, onAir: true, bpm: 125, beat, beatInBar: ((beat - 1) % 4) + 1 }));
    }
    const tag = demoTrack1Tag();
    const count = Math.ceil(tag.length / 1024);
    for (let i = 0; i < count; i++) at(300, chunkBytes(9, DATA_TYPE_PSSI, 184, i, count, tag.subarray(i * 1024, (i + 1) * 1024)));
    virtual.schedule(() => input.complete(), 6100);
    virtual.flush();

    expect(requests).toEqual(['1/9/184#1', '1/9/185#1']);
    // Beat 37 (at 3360 ms) leaves the chorus; the new track ends the verse it was in.
    expect(phrases).toEqual(['phrase.start 1 Chorus', 'phrase.end 1 Chorus', 'phrase.start 2 Verse 1', 'phrase.end 2 Verse 1']);
    expect(events).toEqual(phrases);
    const phraseAt = (ms: number): string | null => {
      const d = decks.find((x) => x.at === ms);
      if (d === undefined) throw new Error(`no deck state at ${ms} ms`);
      return d.state.phrase === null ? null : `${d.state.phrase.index} ${d.state.phrase.label} [${d.state.phrase.startBeat}-${d.state.phrase.endBeat})`;
    };
    expect([phraseAt(200), phraseAt(400), phraseAt(3200), phraseAt(3600), phraseAt(4200)]).toEqual([null, '1 Chorus [1-37)', '1 Chorus [1-37)', '2 Verse 1 [37-73)', null]);
    expect(decks.every((d) => d.state.deck === 1 && d.state.trackId === (d.at < 4000 ? 184 : 185))).toBe(true);
  });
});
