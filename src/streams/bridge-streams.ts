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
import { filter, map, merge, share, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
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
import { withState } from './with-state';

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

/** A deck state rather than an event: only events have a `type`. */
function isDeckState<E extends { readonly type: string }>(x: DeckState | E): x is DeckState {
  return !('type' in x);
}

/** Per deck, for phrase positions; private to one subscription, updated in place. */
interface PositionSource {
  /** The last beat event's number and time, if any. */
  beat: number;
  at: number;
  led: boolean;
  trackId: number | null;
  /** Whether a status has told the track yet. */
  tracked: boolean;
}

/** Status-counter positions feed phrase tracking only when no beat events lead it (or on a jump). */
function phrasePositions(decks: Observable<DeckState>, beats: Observable<BeatEvent>): Observable<PhraseInput> {
  return merge(decks, beats).pipe(
    withState<DeckState | BeatEvent, PhraseInput, Map<number, PositionSource>>(
      () => new Map(),
      (sources, input, emit) => {
        let s = sources.get(input.deck);
        if (s === undefined) {
          s = { beat: 0, at: 0, led: false, trackId: null, tracked: false };
          sources.set(input.deck, s);
        }
        if (!isDeckState(input)) {
          if (input.beat === null) return;
          s.beat = input.beat;
          s.at = input.at;
          s.led = true;
          emit({ kind: 'position', deck: input.deck, trackId: s.trackId, beat: input.beat, at: input.at });
          return;
        }
        const d = input;
        const fresh = s.led && d.updatedAt - s.at < 1000 && d.beat !== null && Math.abs(d.beat - s.beat) <= 1;
        const trackChanged = !s.tracked || s.trackId !== d.trackId;
        s.trackId = d.trackId;
        s.tracked = true;
        if (fresh && !trackChanged) return;
        emit({ kind: 'position', deck: d.deck, trackId: d.trackId, beat: d.beat, at: d.updatedAt });
      },
    ),
  );
}

/** OPUS decks whose status shows a new track (not an unload): phrase data is to be requested. */
function trackLoads(): OperatorFunction<Received<CdjStatus>, TrackLoaded> {
  return withState<Received<CdjStatus>, TrackLoaded, Map<number, number>>(
    () => new Map(),
    (ids, { packet }, emit) => {
      if (!packet.isOpus || ids.get(packet.deck) === packet.trackId) return;
      ids.set(packet.deck, packet.trackId);
      if (packet.trackId !== 0) emit({ deck: packet.deck, deckDevice: packet.device, trackId: packet.trackId });
    },
  );
}

/** Each deck state with the deck's current phrase (from the phrase events). */
function withPhrases(decks: Observable<DeckState>, phrases: Observable<PhraseEvent>): Observable<DeckState> {
  return merge(decks, phrases).pipe(
    withState<DeckState | PhraseEvent, DeckState, Map<number, PhraseInfo | null>>(
      () => new Map(),
      (current, input, emit) => {
        if (!isDeckState(input)) {
          current.set(input.deck, input.type === 'phrase.end' ? null : input.phrase);
          return;
        }
        const phrase = current.get(input.deck) ?? null;
        emit(phrase === null ? input : { ...input, phrase });
      },
    ),
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

  const loads = status.pipe(trackLoads());
  const metadata$ = metadataTransfers(received$.pipe(filter(ofKind('binaryChunk'))), loads, scheduler, {
    ...(options.phraseRetryMs === undefined ? {} : { retryAfterMs: options.phraseRetryMs }),
  }).pipe(share());

  const structures = metadata$.pipe(
    filter((m): m is Extract<MetadataOutput, { kind: 'structure' }> => m.kind === 'structure'),
    map((m): PhraseInput => ({ kind: 'structure', deck: m.deck, trackId: m.trackId, structure: m.structure })),
  );
  const phrases$ = merge(structures, phrasePositions(rawDecks, beats$)).pipe(trackPhrases(), share());

  const decks$ = withPhrases(rawDecks, phrases$).pipe(share());

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
