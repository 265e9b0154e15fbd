/**
 * The whole stream layer, from datagrams to everything the mapping engine and
 * users subscribe to. Every stream is hot and shared: subscribing twice does
 * not decode twice. Nothing here subscribes by itself; the app does.
 *
 *   datagrams ─ decode ─┬─ keep-alives ─ devices$
 *                       ├─ status ─ OPUS flag repair ─ decks (+ phrase) ─ deck events, master$
 *                       ├─ beat packets ─┐
 *                       │   OPUS status ─┴─ beats$ (real or estimated)
 *                       ├─ 0x56 chunks ─ phrase data, artwork$
 *                       └─ 0x0b ─ positions$
 */
import { filter, map, merge, mergeMap, scan, share, type Observable, type SchedulerLike } from 'rxjs';
import type { BridgeEvent, BeatEvent, DeviceEvent, MasterEvent, PhraseEvent } from '../events/bridge-event';
import type { DeckState, PhraseInfo } from '../events/deck-state';
import type { PacketKind, PacketOf } from '../prolink/packets/packet';
import type { CdjStatus } from '../prolink/packets/cdj-status';
import { decodeDatagrams } from './decode-datagrams';
import { repairOpusFlags } from './opus-flags';
import { trackDevices, type DeviceChange } from './devices';
import { toDeckStates } from './deck-states';
import { deckEvents } from './deck-events';
import { masterChanges, masterTempo, type MasterTempo } from './master';
import { realBeats } from './real-beats';
import { estimatedBeats, type EstimatedBeatsOptions } from './estimated-beats';
import { trackPhrases, type PhraseInput } from './phrase-tracker';
import { metadataTransfers, type MetadataOutput, type TrackLoaded } from './metadata-transfers';
import { positions, type Position } from './positions';
import { isReceived, type DecodeFailure, type Received, type TimedDatagram } from './received';

export interface BridgeStreamsOptions {
  readonly scheduler: SchedulerLike;
  /** Our own address: our packets, looped back by broadcast, are ignored. */
  readonly ownAddress?: string | null;
  readonly deviceLostAfterMs?: number;
  readonly estimator?: EstimatedBeatsOptions;
  readonly phraseRetryMs?: number;
}

export interface BridgeStreams {
  readonly received$: Observable<Received>;
  readonly malformed$: Observable<DecodeFailure>;
  readonly devices$: Observable<DeviceChange>;
  /** Each status packet as a deck state, with the current phrase. */
  readonly decks$: Observable<DeckState>;
  readonly beats$: Observable<BeatEvent>;
  readonly phrases$: Observable<PhraseEvent>;
  readonly master$: Observable<MasterTempo>;
  readonly positions$: Observable<Position>;
  readonly artwork$: Observable<Extract<MetadataOutput, { kind: 'artwork' }>>;
  /** 0x55 requests to send, and transfers that failed. */
  readonly metadata$: Observable<MetadataOutput>;
  /** Every event rules can react to. */
  readonly events$: Observable<BridgeEvent>;
  deck(n: number): Observable<DeckState>;
}

function ofKind<K extends PacketKind>(kind: K): (r: Received) => r is Received<PacketOf<K>> {
  return (r): r is Received<PacketOf<K>> => r.packet.kind === kind;
}

/** Status-counter positions feed phrase tracking only when no beat events lead it (or on a jump). */
function phrasePositions(decks: Observable<DeckState>, beats: Observable<BeatEvent>): Observable<PhraseInput> {
  type In = { readonly deck: DeckState } | { readonly beat: BeatEvent };
  interface S {
    readonly lastBeat: ReadonlyMap<number, { beat: number; at: number }>;
    readonly out: PhraseInput | null;
    readonly tracks: ReadonlyMap<number, number | null>;
  }
  return merge(decks.pipe(map((deck): In => ({ deck }))), beats.pipe(map((beat): In => ({ beat })))).pipe(
    scan<In, S>(
      (s, input) => {
        if ('beat' in input) {
          const b = input.beat;
          if (b.beat === null) return { ...s, out: null };
          const lastBeat = new Map(s.lastBeat);
          lastBeat.set(b.deck, { beat: b.beat, at: b.at });
          return { ...s, lastBeat, out: { kind: 'position', deck: b.deck, trackId: s.tracks.get(b.deck) ?? null, beat: b.beat, at: b.at } };
        }
        const d = input.deck;
        const tracks = new Map(s.tracks);
        tracks.set(d.deck, d.trackId);
        const led = s.lastBeat.get(d.deck);
        const fresh = led !== undefined && d.updatedAt - led.at < 1000 && d.beat !== null && Math.abs(d.beat - led.beat) <= 1;
        const trackChanged = s.tracks.get(d.deck) !== d.trackId;
        if (fresh && !trackChanged) return { ...s, tracks, out: null };
        return { ...s, tracks, out: { kind: 'position', deck: d.deck, trackId: d.trackId, beat: d.beat, at: d.updatedAt } };
      },
      { lastBeat: new Map(), out: null, tracks: new Map() },
    ),
    map((s) => s.out),
    filter((x): x is PhraseInput => x !== null),
  );
}

export function createBridgeStreams(datagrams: Observable<TimedDatagram>, options: BridgeStreamsOptions): BridgeStreams {
  const { scheduler } = options;
  const own = options.ownAddress ?? null;
  const decoded = datagrams.pipe(
    filter((d) => d.address !== own),
    decodeDatagrams(),
    share(),
  );
  const received$ = decoded.pipe(filter(isReceived), share());
  const malformed$ = decoded.pipe(filter((d): d is DecodeFailure => !isReceived(d)), share());

  const status = received$.pipe(filter(ofKind('cdjStatus')), repairOpusFlags(), share());
  const rawDecks = status.pipe(toDeckStates(), share());
  const devices$ = trackDevices(received$.pipe(filter(ofKind('keepAlive'))), scheduler, {
    ...(options.deviceLostAfterMs === undefined ? {} : { lostAfterMs: options.deviceLostAfterMs }),
  }).pipe(share());

  const beats$ = merge(
    realBeats(received$.pipe(filter(ofKind('beat'))), status),
    estimatedBeats(status.pipe(filter((s) => s.packet.isOpus)), scheduler, options.estimator ?? {}),
  ).pipe(share());

  const loads = status.pipe(
    scan<Received<CdjStatus>, { ids: ReadonlyMap<number, number>; load: TrackLoaded | null }>(
      (s, { packet }) => {
        if (!packet.isOpus || s.ids.get(packet.deck) === packet.trackId) return { ids: s.ids, load: null };
        const ids = new Map(s.ids);
        ids.set(packet.deck, packet.trackId);
        return { ids, load: packet.trackId === 0 ? null : { deck: packet.deck, deckDevice: packet.device, trackId: packet.trackId } };
      },
      { ids: new Map(), load: null },
    ),
    map((s) => s.load),
    filter((l): l is TrackLoaded => l !== null),
  );
  const metadata$ = metadataTransfers(received$.pipe(filter(ofKind('binaryChunk'))), loads, scheduler, {
    ...(options.phraseRetryMs === undefined ? {} : { retryAfterMs: options.phraseRetryMs }),
  }).pipe(share());

  const structures = metadata$.pipe(
    mergeMap((m): PhraseInput[] => (m.kind === 'structure' ? [{ kind: 'structure', deck: m.deck, trackId: m.trackId, structure: m.structure }] : [])),
  );
  const phrases$ = merge(structures, phrasePositions(rawDecks, beats$)).pipe(trackPhrases(), share());

  const decks$ = merge(rawDecks.pipe(map((deck) => ({ deck }))), phrases$.pipe(map((phrase) => ({ phrase })))).pipe(
    scan<{ deck: DeckState } | { phrase: PhraseEvent }, { current: ReadonlyMap<number, PhraseInfo | null>; out: DeckState | null }>(
      (s, input) => {
        const current = new Map(s.current);
        if ('phrase' in input) {
          current.set(input.phrase.deck, input.phrase.type === 'phrase.end' ? null : input.phrase.phrase);
          return { current, out: null };
        }
        const phrase = current.get(input.deck.deck) ?? null;
        return { current, out: phrase === null ? input.deck : { ...input.deck, phrase } };
      },
      { current: new Map(), out: null },
    ),
    map((s) => s.out),
    filter((d): d is DeckState => d !== null),
    share(),
  );

  const master$ = rawDecks.pipe(masterTempo(), share());
  const masterEvents: Observable<MasterEvent> = rawDecks.pipe(masterChanges());
  const deviceEvents: Observable<DeviceEvent> = devices$.pipe(
    filter((c) => c.type !== 'changed'),
    map((c): DeviceEvent => ({ type: c.type === 'appeared' ? 'device.appeared' : 'device.lost', at: c.at, deck: null, device: c.device.device, name: c.device.name, address: c.device.address })),
  );
  const events$ = merge(rawDecks.pipe(deckEvents()), beats$, phrases$, masterEvents, deviceEvents).pipe(share());

  return {
    received$,
    malformed$,
    devices$,
    decks$,
    beats$,
    phrases$,
    master$,
    positions$: positions(received$.pipe(filter(ofKind('precisePosition'))), beats$, rawDecks).pipe(share()),
    artwork$: metadata$.pipe(filter((m): m is Extract<MetadataOutput, { kind: 'artwork' }> => m.kind === 'artwork')),
    metadata$,
    events$,
    deck: (n) => decks$.pipe(filter((d) => d.deck === n)),
  };
}
