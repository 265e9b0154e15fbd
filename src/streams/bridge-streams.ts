/**
 * The whole stream layer, from datagrams to everything the mapping engine and
 * users subscribe to. Every stream is hot and shared: subscribing twice does
 * not decode twice. Nothing here subscribes by itself; the app does.
 *
 *   datagrams ─ decode ─┬─ keep-alives ─ devices$
 *                       ├─ status ─ OPUS flag repair ─ decks (+ phrase) ─ deck events, master$
 *                       ├─ beat packets ─┐
 *                       │   OPUS status ─┤
 *                       │ OPUS 0x0b (CDJ mode) ─┴─ beats$ (real or estimated)
 *                       ├─ 0x56 chunks ─ phrase data, artwork$
 *                       └─ 0x0b ─ positions$
 *
 *   decks + beats ─ phrase positions ─ phrases$ (and each deck's current phrase)
 *                 └ estimated beats held for a status ─ confirmedBeats$, confirmedPhrases$, unconfirmed$
 */
import type { Observable, OperatorFunction, SchedulerLike } from 'rxjs';
import { EMPTY, filter, map, merge } from '../rx';
import type { BridgeEvent, BeatEvent, CueEvent, DeviceEvent, MasterEvent, PhraseEvent } from '../events/bridge-event';
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
import { estimatedBeats, type DeckGridSource, type EstimatedBeatsOptions } from './estimated-beats';
import { phraseTracker, type PhraseInput, type PhraseOutput, type UnconfirmedReason } from './phrase-tracker';
import { phrasePositions } from './phrase-positions';
import { deckSignals, type DeckSignal } from './deck-signals';
import { confirmBeats, isConfirmedBeat, type ConfirmedBeat } from './confirm-beats';
import { metadataTransfers, type MetadataOutput, type TrackLoaded } from './metadata-transfers';
import { positions, type Position } from './positions';
import { isReceived, type Decoded, type DecodeFailure, type Received, type TimedDatagram } from './received';
import { isImplausible, plausibility, type PlausibilityOptions } from './plausibility/plausible';
import type { Implausible } from './plausibility/reasons';
import { withState } from './with-state';
import { shareFast } from './fast-share';
import { isDeckStateOutput, isEventOutput, lengthChanges, trackMatching, type TrackSignal } from './track-matching';
import type { DeckTrackMatches } from '../library/match/deck-track-matches';
import type { DeckTracks } from '../library/match/deck-tracks';
import { cuePoints } from '../library/cue-points';
import { cueEvents, type CuesFor } from './cue-events';
import { positionEvents, type PositionSampling } from './position-events';

export interface BridgeStreamsOptions {
  readonly scheduler: SchedulerLike;
  /** Our own address: our packets, looped back by broadcast, are ignored. */
  readonly ownAddress?: string | null;
  readonly deviceLostAfterMs?: number;
  readonly estimator?: EstimatedBeatsOptions;
  readonly phraseRetryMs?: number;
  readonly plausibility?: PlausibilityOptions;
  /** The decks' matches to the DJ's library; without it deck states and track events carry no track. */
  readonly tracks?: DeckTrackMatches | null;
  /** The cue points of the track on a deck; by default those of the deck's library track (`tracks`). Without either, no cue events. */
  readonly cuesFor?: CuesFor;
  /** Position events for rules on `position`: how often and from what; without it, none. */
  readonly positionSampling?: PositionSampling;
}

/** The cue points of each deck's library track, while the deck still has the track the match is for. */
export function libraryCues(tracks: DeckTracks): CuesFor {
  return (deck, trackId) => {
    const match = tracks.trackOn(deck);
    return match !== null && match.trackId === trackId ? cuePoints(match.track) : null;
  };
}

/** The beat grid of each deck's library track, while the deck still has the track the match is for. */
export function libraryGrids(tracks: DeckTracks): DeckGridSource {
  return (deck, trackId) => {
    const match = tracks.trackOn(deck);
    return match !== null && match.trackId === trackId ? match.track.grid : null;
  };
}

/** An event held for confirmation and dropped: the deck jumped, stopped, changed track, or no status came in time. */
export interface Unconfirmed {
  readonly event: BeatEvent | PhraseEvent;
  readonly reason: UnconfirmedReason;
}

export interface BridgeStreams {
  /** Every packet decoded, believed or not. */
  readonly received$: Observable<Received>;
  /** The packets the plausibility stage believed: what state, events and the network session are built from. */
  readonly believed$: Observable<Received>;
  readonly malformed$: Observable<DecodeFailure>;
  /** Decoded packets not believed (plausibility/), by reason: they reach no state and become no event. */
  readonly implausible$: Observable<Implausible>;
  readonly devices$: Observable<DeviceChange>;
  /** Each status packet as a deck state, with the current phrase. */
  readonly decks$: Observable<DeckState>;
  readonly beats$: Observable<BeatEvent>;
  readonly phrases$: Observable<PhraseEvent>;
  /** The playhead reaches a memory cue or hot cue of the deck's library track (none without a library). */
  readonly cues$: Observable<CueEvent>;
  /** For rules with `confirm: true`: real beats at once, estimated beats once a status of the deck confirms them. */
  readonly confirmedBeats$: Observable<ConfirmedBeat>;
  /** For rules with `confirm: true`: phrase events of confirmed positions only (all `confirmed: true`). */
  readonly confirmedPhrases$: Observable<PhraseEvent>;
  /** Estimated beats, and the phrase events they would have caused, that a status did not confirm. */
  readonly unconfirmed$: Observable<Unconfirmed>;
  readonly master$: Observable<MasterTempo>;
  readonly positions$: Observable<Position>;
  readonly artwork$: Observable<Extract<MetadataOutput, { kind: 'artwork' }>>;
  /** 0x55 requests to send, and transfers that failed. */
  readonly metadata$: Observable<MetadataOutput>;
  /** Every event rules can react to. */
  readonly events$: Observable<BridgeEvent>;
  deck(n: number): Observable<DeckState>;
  /** Each deck's library track, or null without a library. */
  readonly tracks: DeckTracks | null;
}

function ofKind<K extends PacketKind>(kind: K): (r: Received) => r is Received<PacketOf<K>> {
  return (r): r is Received<PacketOf<K>> => r.packet.kind === kind;
}

/** A deck state rather than a phrase tracker output: only those have a `kind`. */
function isDeckState(x: DeckState | PhraseOutput): x is DeckState {
  return !('kind' in x);
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

/** Each deck state with the deck's current phrase (as the phrase tracker knows it, also while stopped). */
function withPhrases(decks: Observable<DeckState>, phrases: Observable<PhraseOutput>): Observable<DeckState> {
  return merge(decks, phrases).pipe(
    withState<DeckState | PhraseOutput, DeckState, Map<number, PhraseInfo | null>>(
      () => new Map(),
      (current, input, emit) => {
        if (!isDeckState(input)) {
          if (input.kind === 'current') current.set(input.deck, input.phrase);
          return;
        }
        const phrase = current.get(input.deck) ?? null;
        emit(phrase === null ? input : { ...input, phrase });
      },
    ),
  );
}

function phraseEvents(outputs: Observable<PhraseOutput>): Observable<PhraseEvent> {
  return outputs.pipe(
    filter((o): o is Extract<PhraseOutput, { kind: 'event' }> => o.kind === 'event'),
    map((o) => o.event),
  );
}

export function createBridgeStreams(datagrams: Observable<TimedDatagram>, options: BridgeStreamsOptions): BridgeStreams {
  const own = options.ownAddress ?? null;
  return bridgeStreamsOfDecoded(datagrams.pipe(filter((d) => d.address !== own), decodeDatagrams()), options);
}

/** The same streams from datagrams decoded already, our own left out (`ownAddress` is not read): the app decodes from the moment the link opens (app/ingestion). */
export function bridgeStreamsOfDecoded(input: Observable<Decoded>, options: BridgeStreamsOptions): BridgeStreams {
  const { scheduler } = options;
  const decoded = input.pipe(shareFast());
  const received$ = decoded.pipe(filter(isReceived), shareFast());
  const malformed$ = decoded.pipe(filter((d): d is DecodeFailure => !isReceived(d)), shareFast());
  const judged = received$.pipe(plausibility(options.plausibility ?? {}), shareFast());
  const believed = judged.pipe(filter((j): j is Received => !isImplausible(j)), shareFast());
  const implausible$ = judged.pipe(filter(isImplausible), shareFast());

  const status = believed.pipe(filter(ofKind('cdjStatus')), repairOpusFlags(), shareFast());
  const tracks = options.tracks ?? null;
  const rawDecks = status.pipe(toDeckStates(tracks), shareFast());
  const devices$ = trackDevices(believed.pipe(filter(ofKind('keepAlive'))), scheduler, {
    ...(options.deviceLostAfterMs === undefined ? {} : { lostAfterMs: options.deviceLostAfterMs }),
  }).pipe(shareFast());

  const master$ = rawDecks.pipe(masterTempo(), shareFast());
  const precise = believed.pipe(filter(ofKind('precisePosition')));
  const beats$ = merge(
    realBeats(believed.pipe(filter(ofKind('beat'))), status, precise),
    estimatedBeats(merge(status, precise).pipe(filter((p) => p.packet.isOpus)), scheduler, {
      ...(tracks === null ? {} : { trackGrid: libraryGrids(tracks) }),
      master: master$,
      ...options.estimator,
    }),
  ).pipe(shareFast());

  const loads = status.pipe(trackLoads());
  const metadata$ = metadataTransfers(believed.pipe(filter(ofKind('binaryChunk'))), loads, scheduler, {
    ...(options.phraseRetryMs === undefined ? {} : { retryAfterMs: options.phraseRetryMs }),
  }).pipe(shareFast());

  const structures = metadata$.pipe(
    filter((m): m is Extract<MetadataOutput, { kind: 'structure' }> => m.kind === 'structure'),
    map((m): PhraseInput => ({ kind: 'structure', deck: m.deck, trackId: m.trackId, structure: m.structure })),
  );
  const signals = deckSignals(rawDecks, beats$);
  const phraseOutputs = merge(structures, signals.pipe(phrasePositions())).pipe(phraseTracker(), shareFast());
  const phrases$ = phraseEvents(phraseOutputs).pipe(shareFast());
  // For rules with `confirm: true`: estimated beats wait for a status, and a tracker of their own follows the confirmed positions.
  const held = signals.pipe(confirmBeats(), shareFast());
  const confirmedOutputs = merge(structures, held.pipe(phrasePositions())).pipe(phraseTracker({ confirmed: true }), shareFast());
  const unconfirmed$ = merge(
    held.pipe(
      filter((h): h is Extract<DeckSignal, { kind: 'unconfirmed' }> => h.kind === 'unconfirmed'),
      map((h): Unconfirmed => ({ event: h.beat, reason: h.reason })),
    ),
    confirmedOutputs.pipe(
      filter((o): o is Extract<PhraseOutput, { kind: 'unconfirmed' }> => o.kind === 'unconfirmed'),
      map((o): Unconfirmed => ({ event: o.event, reason: o.reason })),
    ),
  ).pipe(shareFast());

  // With a library: phrase data and track lengths update the decks' tracks, and an OPUS deck's track.load waits for its phrase data.
  const trackSignals: Observable<TrackSignal> = merge(
    metadata$.pipe(
      filter((m) => m.kind === 'structure' || m.kind === 'failed'),
      map((m): TrackSignal => (m.kind === 'structure' ? { kind: 'structure', deck: m.deck, trackId: m.trackId, structure: m.structure } : { kind: 'phrases-failed', deck: m.deck, trackId: m.trackId })),
    ),
    precise.pipe(map((r) => r.packet), lengthChanges()),
  );
  const matched = tracks === null ? null : merge(rawDecks, trackSignals).pipe(trackMatching(tracks), shareFast());
  const deckStates = matched === null ? rawDecks : matched.pipe(filter(isDeckStateOutput));
  const deckChangeEvents = matched === null ? rawDecks.pipe(deckEvents()) : matched.pipe(filter(isEventOutput));
  const decks$ = withPhrases(deckStates, phraseOutputs).pipe(shareFast());

  const masterEvents: Observable<MasterEvent> = rawDecks.pipe(masterChanges());
  const deviceEvents: Observable<DeviceEvent> = devices$.pipe(
    filter((c) => c.type !== 'changed'),
    map((c): DeviceEvent => ({ type: c.type === 'appeared' ? 'device.appeared' : 'device.lost', at: c.at, deck: null, device: c.device.device, name: c.device.name, address: c.device.address })),
  );
  const cuesFor = options.cuesFor ?? (tracks === null ? null : libraryCues(tracks));
  const cues$: Observable<CueEvent> = cuesFor === null ? EMPTY : signals.pipe(cueEvents({ scheduler, cuesFor }), shareFast());
  const position$ = options.positionSampling === undefined ? EMPTY : positionEvents(decks$, options.positionSampling, scheduler);
  const events$ = merge(deckChangeEvents, beats$, phrases$, cues$, masterEvents, deviceEvents, position$).pipe(shareFast());

  return {
    received$,
    believed$: believed,
    malformed$,
    implausible$,
    devices$,
    decks$,
    beats$,
    phrases$,
    cues$,
    confirmedBeats$: held.pipe(
      filter((h): h is Extract<DeckSignal, { kind: 'beat' }> => h.kind === 'beat'),
      map((h) => h.beat),
      filter(isConfirmedBeat),
    ),
    confirmedPhrases$: phraseEvents(confirmedOutputs),
    unconfirmed$,
    master$,
    positions$: positions(precise, beats$, rawDecks).pipe(shareFast()),
    artwork$: metadata$.pipe(filter((m): m is Extract<MetadataOutput, { kind: 'artwork' }> => m.kind === 'artwork')),
    metadata$,
    events$,
    deck: (n) => decks$.pipe(filter((d) => d.deck === n)),
    tracks,
  };
}
