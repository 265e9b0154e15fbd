/**
 * The running bridge: the one place that subscribes. It joins the DJ network
 * through a Link (session keep-alives and handshakes), builds the streams,
 * runs every event through the live mapping and hands the commands to the
 * output router. `stop()` leaves cleanly: MIDI notes off, sockets closed.
 */
import type { SchedulerLike } from 'rxjs';
import { BehaviorSubject, filter, merge, Subject, Subscription } from '../rx';
import { PORT_STATUS, OFFSET_TYPE } from '../prolink/packets/header';
import { TYPE_CDJ_STATUS } from '../prolink/packets/cdj-status';
import type { Logger } from 'pino';
import { ProlinkSession } from '../prolink/network/session';
import type { SessionMode, SessionStep } from '../prolink/network/session-types';
import { bridgeStreamsOfDecoded, libraryCues, libraryGrids, type BridgeStreams } from '../streams/bridge-streams';
import type { DeckGridSource } from '../streams/estimated-beats';
import type { CuesFor } from '../streams/cue-events';
import { REASONS } from '../streams/plausibility/reasons';
import type { UnconfirmedReason } from '../streams/phrase-tracker';
import type { BridgeEvent } from '../events/bridge-event';
import { MappingRuntime } from '../mapping/mapping-runtime';
import type { CompiledRule } from '../mapping/compiled-mapping';
import type { OutputCommand } from '../mapping/engine';
import { OutputRouter } from '../outputs/output-router';
import { RateLimitedReporter, type OutputReport } from '../outputs/reporter';
import type { MidiOpener } from '../outputs/midi-target';
import type { World } from '../mapping/expression-context';
import { monotonicMs, monotonicScheduler, monotonicTimers, type Link } from './link';
import { REAL_TIMER_SLACK_MS, tickSession, type SessionTicks } from './session-ticks';
import { startIngestion, type Ingestion } from './ingestion';
import { isKindReceived } from '../streams/received';
import { FastSubject } from '../streams/fast-share';
import { describeCommand } from './describe-command';
import { DeckGrids } from './deck-grids';
import { ClockOutputs, type ClockThreadFactory } from './clock-outputs';
import { LinkOutput, type LinkProcessFactory } from './link-output';
import { TimecodeOutputs } from './timecode-outputs';
import { ArtnetTimecodeOutputs } from './artnet-timecode-outputs';
import { mappingTimeline, positionIntervalMs } from './position-sampling';
import { deckPositionAt, DEFAULT_TIMELINE, type DeckPosition } from '../timing/deck-position';
import type { PreciseSample } from '../timing/track-timeline';
import type { DeckState } from '../events/deck-state';
import { LookAhead, type LookAheadStats } from '../lookahead/look-ahead';
import type { SongStructure } from '../prolink/phrases/song-structure';
import { hybridWait } from '../timing/wait-strategies';
import { LimitedLog } from '../log/limited-log';
import { DEFAULT_LOG_INTERVAL_MS, withSuppressed } from '../log/rate-limited';
import { HealthCounters } from '../log/health-counters';
import { logHealthSummary } from '../log/health-summary';
import type { MappingError } from '../mapping/mapping-error';
import type { Catalogue } from '../library/catalogue';
import { DeckTrackMatches } from '../library/match/deck-track-matches';

/** The look-ahead spins this last part of each wait on the main thread, for sub-millisecond firing. */
const LOOK_AHEAD_SPIN_MS = 1;
/** The grid (from when the bridge runs) on which held-back log lines whose interval is over are printed with their counts; a tick runs only when one is due. */
const LOG_FLUSH_MS = 1000;
/** Device lines (appeared, changed, lost) printed per interval before holding back: a whole booth at once. */
const DEVICE_LINE_BURST = 8;

export interface BridgeOptions {
  readonly link: Link;
  readonly mode: SessionMode;
  readonly mappingPaths: readonly string[];
  readonly watchMappings: boolean;
  readonly logger: Logger;
  readonly openMidi: MidiOpener;
  readonly scheduler?: SchedulerLike;
  /** The grid the session is ticked on (keep-alive cadence and timeouts); it is ticked only when something is due. */
  readonly tickMs?: number;
  /** Where MIDI clocks run; the default is a worker thread per clock. */
  readonly clockThread?: ClockThreadFactory;
  /** Where the Ableton Link session runs; the default is a process of its own. */
  readonly linkProcess?: LinkProcessFactory;
  /** What was skipped or dropped, per kind and reason; summarised at info level every 10 s when not empty. */
  readonly health?: HealthCounters;
  /** The DJ's USB exports: each deck's track is matched to them, and deck states, track events and rules get its title, artist and so on. */
  readonly library?: Catalogue;
  /**
   * The link's datagrams, taken and decoded since before the bridge started
   * (startIngestion on this same link): the caller releases it once its own
   * subscribers (monitor, dashboard) are on the running bridge; the bridge
   * stops it. Without it, the bridge takes the link's datagrams from when its
   * streams are subscribed.
   */
  readonly ingestion?: Ingestion;
}

export type Activity =
  | { readonly kind: 'fired'; readonly rule: string; readonly event: BridgeEvent; readonly commands: readonly OutputCommand[] }
  | { readonly kind: 'report'; readonly report: OutputReport }
  | { readonly kind: 'notice'; readonly level: 'info' | 'warn'; readonly message: string };

/** The mapping that runs, and the errors of the last reload that was refused (times on the bridge's clock). */
export interface MappingStatus {
  readonly files: readonly string[];
  readonly rules: number;
  readonly targets: readonly string[];
  readonly loadedAt: number;
  /** Reloads applied since the start. */
  readonly reloads: number;
  readonly refused: { readonly at: number; readonly errors: readonly MappingError[] } | null;
}

export interface RunningBridge {
  readonly streams: BridgeStreams;
  readonly session: ProlinkSession | null;
  readonly runtime: MappingRuntime;
  readonly router: OutputRouter;
  readonly grids: DeckGrids;
  /** The `artnet-timecode:` outputs: frames sent and last timecode of each. */
  readonly artnetTimecode: Pick<ArtnetTimecodeOutputs, 'status'>;
  /** The Ableton Link session: its state, peers and the tempo it is handed. */
  readonly abletonLink: Pick<LinkOutput, 'status'>;
  readonly activity: Subject<Activity>;
  /** The current mapping status; a new value on every load and refused reload. */
  readonly mappingStatus: BehaviorSubject<MappingStatus>;
  /** Each deck's song structure, as the OPUS sent it for the track it has loaded (or had). */
  readonly structures: ReadonlyMap<number, { readonly trackId: number; readonly structure: SongStructure }>;
  readonly stats: { malformed: number; received: number; events: number };
  readonly health: HealthCounters;
  /** Look-ahead firings of rules with a lead: ahead, late, passed over, moved, cancelled. */
  readonly lookAhead: LookAheadStats;
  /** Predicted beats and phrase changes that rules with `confirm: true` waited for and dropped, by why the deck did not confirm them. */
  readonly unconfirmed: Readonly<Record<UnconfirmedReason, number>>;
  stop(): Promise<void>;
}

export type StartResult = { ok: true; bridge: RunningBridge } | { ok: false; message: string };

export { describeCommand };

export async function startBridge(options: BridgeOptions): Promise<StartResult> {
  const { link, logger } = options;
  const scheduler = options.scheduler ?? monotonicScheduler;
  // Every rule that fires goes out here (monitor, dashboard): a FastSubject, Subject.next without its per-value allocations.
  const activity: Subject<Activity> = new FastSubject<Activity>();
  const subscriptions = new Subscription();
  const stats = { malformed: 0, received: 0, events: 0 };
  const unconfirmed: Record<UnconfirmedReason, number> = { jump: 0, stopped: 0, track: 0, expired: 0, repeat: 0 };
  const health = options.health ?? new HealthCounters();
  // Lines held back (below) are printed with their counts at the ticks of a grid of LOG_FLUSH_MS from when the
  // bridge runs, as interval(LOG_FLUSH_MS) would print them, but the timer is set only for the first tick at which
  // one is due (its interval over): no wake-up a second for nothing, nor while a repeating problem's count grows.
  let flushGrid: number | null = null;
  let flushTick = 0;
  let flushTimer: Subscription | null = null;
  let flushAt = Infinity;
  const nextFlushDue = (): number | null => {
    const a = limited.nextDue();
    const b = reporter.nextDue();
    return a === null ? b : b === null ? a : Math.min(a, b);
  };
  const armFlush = (): void => {
    if (flushGrid === null || subscriptions.closed) return;
    const due = nextFlushDue();
    if (due === null) return;
    const start = flushGrid;
    const now = scheduler.now();
    // Not a tick that ran or is past, and not before a held-back line is due (float noise aside).
    const k = Math.max(flushTick + 1, Math.floor((now - start) / LOG_FLUSH_MS) + 1, Math.ceil((due - start) / LOG_FLUSH_MS - 1e-9));
    const at = start + k * LOG_FLUSH_MS;
    if (flushTimer !== null) {
      if (at >= flushAt) return;
      flushTimer.unsubscribe();
    }
    flushAt = at;
    flushTimer = scheduler.schedule(() => {
      flushTimer = null;
      flushAt = Infinity;
      flushTick = k;
      limited.flush();
      reporter.flush();
      armFlush();
    }, Math.max(0, at - now));
  };
  subscriptions.add(() => {
    flushTimer?.unsubscribe();
    flushTimer = null;
  });
  // Lines that can repeat: at most one per problem per 5 s, each with the count of what it stands for.
  const limited = new LimitedLog(logger, () => scheduler.now(), { onHold: armFlush });

  const reporter = new RateLimitedReporter((report) => {
    const log = { target: report.target, code: report.code, suppressed: report.suppressed };
    const message = withSuppressed(report.message, report.suppressed, report.spanMs ?? DEFAULT_LOG_INTERVAL_MS);
    if (report.level === 'error') logger.error(log, message);
    else if (report.level === 'warn') logger.warn(log, message);
    else logger.info(log, message);
    activity.next({ kind: 'report', report });
  }, () => scheduler.now(), DEFAULT_LOG_INTERVAL_MS, armFlush);
  const router = new OutputRouter({ reporter, openMidi: options.openMidi });
  // The beat grids of the decks' library tracks, once the streams (and their library matches) exist.
  let gridSource: DeckGridSource | null = null;
  const grids = new DeckGrids((deck, trackId) => gridSource?.(deck, trackId) ?? null);
  let latest: World = { decks: new Map(), masterDeck: null };
  const precise = new Map<number, PreciseSample>();
  const deckFor = (follow: number | 'master'): DeckState | null => latest.decks.get(follow === 'master' ? (latest.masterDeck ?? -1) : follow) ?? null;
  const clocks = new ClockOutputs({
    reporter,
    timers: monotonicTimers,
    now: monotonicMs,
    gridFor: (follow, at) => grids.grid(follow === 'master' ? latest.masterDeck : follow, at),
    ...(options.clockThread === undefined ? {} : { createThread: options.clockThread }),
  });
  const abletonLink = new LinkOutput({
    reporter,
    timers: monotonicTimers,
    now: monotonicMs,
    gridFor: (follow, at) => grids.grid(follow === 'master' ? latest.masterDeck : follow, at),
    ...(options.linkProcess === undefined ? {} : { createProcess: options.linkProcess }),
  });
  const timecodes = new TimecodeOutputs(reporter, monotonicTimers);
  const artnetTimecodes = new ArtnetTimecodeOutputs({ reporter, timers: monotonicTimers });
  const structures = new Map<number, { readonly trackId: number; readonly structure: SongStructure }>();
  const clock = { now: () => scheduler.now() };
  // The cue points of each deck's library track, once the streams (and their library matches) exist.
  let cueSource: CuesFor | null = null;
  const lookAhead = new LookAhead({
    clock,
    wait: hybridWait(clock, { spinMs: LOOK_AHEAD_SPIN_MS }),
    gridFor: (deck, at) => grids.grid(deck, at),
    structureFor: (deck) => {
      const known = structures.get(deck);
      return known !== undefined && latest.decks.get(deck)?.trackId === known.trackId ? known.structure : null;
    },
    cuesFor: (deck) => cueSource?.(deck, latest.decks.get(deck)?.trackId ?? null) ?? null,
    masterDeck: () => latest.masterDeck,
    fire: (rule, event, how) => {
      if (how === 'late') logger.debug({ rule: rule.name, deck: event.deck, event: event.type }, 'no prediction in time: the rule fires on the event itself');
      runtime.fireRule(rule, event, latest);
    },
  });
  const timecodeInputs = {
    deckFor,
    grid: (deck: number, at: number) => grids.grid(deck, at),
    precise: (deck: number) => precise.get(deck) ?? null,
    trackGrid: (deck: number, trackId: number) => gridSource?.(deck, trackId) ?? null,
  };
  // deck.timecode, deck.positionMs and position events: on the timeline of the mapping's timecode outputs, sampled only while a rule is on position.
  let timeline = DEFAULT_TIMELINE;
  const positionOf = (deck: DeckState, at: number): DeckPosition | null => deckPositionAt(timeline, timecodeInputs, deck, at);
  const positionInterval$ = new BehaviorSubject<number | null>(null);
  let startErrors: readonly MappingError[] = [];
  let mappingStatus: MappingStatus = { files: [], rules: 0, targets: [], loadedAt: 0, reloads: 0, refused: null };
  const mappingStatus$ = new BehaviorSubject<MappingStatus>(mappingStatus);
  // The confirm streams (a second phrase tracker) run only while a rule has `confirm: true`.
  let wantsConfirmed = false;
  let confirmedSubscription: Subscription | null = null;
  let streamsReady: BridgeStreams | null = null;
  const syncConfirmed = (): void => {
    if (streamsReady === null || wantsConfirmed === (confirmedSubscription !== null)) return;
    if (!wantsConfirmed) {
      confirmedSubscription?.unsubscribe();
      confirmedSubscription = null;
      return;
    }
    const s = streamsReady;
    const subscription = merge(s.confirmedBeats$, s.confirmedPhrases$).subscribe((event) => runtime.handleConfirmed(event, latest));
    subscription.add(
      s.unconfirmed$.subscribe((u) => {
        unconfirmed[u.reason]++;
        if (logger.isLevelEnabled('debug')) logger.debug({ deck: u.event.deck, event: u.event.type, reason: u.reason }, 'a predicted event the deck did not confirm was dropped for rules with confirm');
      }),
    );
    confirmedSubscription = subscription;
    subscriptions.add(subscription);
  };
  const runtime = new MappingRuntime({
    paths: options.mappingPaths,
    router,
    watch: options.watchMappings,
    events: {
      loaded: (m, reload, opened) => {
        logger.info({ files: m.files, rules: m.rules.length, targets: [...m.targets.keys()], opened }, reload ? 'mapping reloaded' : 'mapping loaded');
        void clocks.apply(m.clock, m.targets);
        void abletonLink.apply(m.link);
        timecodes.apply(m.timecode, (name) => router.midiPort(name), timecodeInputs);
        void artnetTimecodes.apply(m.artnetTimecode, timecodeInputs);
        timeline = mappingTimeline(m);
        positionInterval$.next(positionIntervalMs(m));
        lookAhead.setRules(m.leadRules);
        const reloads = reload ? mappingStatus.reloads + 1 : 0;
        mappingStatus = { ...mappingStatus, files: m.files, rules: m.rules.length, targets: [...m.targets.keys()], loadedAt: scheduler.now(), reloads };
        mappingStatus$.next(mappingStatus);
        wantsConfirmed = m.confirmRulesByEvent.size > 0;
        syncConfirmed();
      },
      rejected: (errors, kept) => {
        if (!kept) {
          startErrors = errors; // the start's failure message says them
          if (errors.length > 1) for (const e of errors) logger.error(String(e));
        } else if (errors.length === 1) {
          logger.error(`${String(errors[0])} (the previous mapping keeps running)`);
        } else {
          for (const e of errors) logger.error(String(e));
          logger.error(`${errors.length} errors in the mapping; the previous mapping keeps running`);
        }
        if (kept) {
          mappingStatus = { ...mappingStatus, refused: { at: scheduler.now(), errors } };
          mappingStatus$.next(mappingStatus);
        }
      },
      fired: (rule: CompiledRule, event, commands) => {
        if (logger.isLevelEnabled('debug')) logger.debug({ rule: rule.name, event: event.type, deck: event.deck, commands: commands.map(describeCommand) }, 'rule fired');
        activity.next({ kind: 'fired', rule: rule.name, event, commands });
      },
      // Nobody watching (no debug log, no monitor or dashboard): commands go out with no values made for them.
      firedWatched: () => activity.observed || logger.isLevelEnabled('debug'),
      problem: (p) => limited.warn(`problem\u0000${p.rule}\u0000${p.message}`, p.message, { rule: p.rule }),
    },
  });
  if (!(await runtime.start())) {
    options.ingestion?.stop();
    runtime.stop();
    await router.close();
    const only = startErrors.length === 1 ? startErrors[0] : undefined;
    return { ok: false, message: only === undefined ? 'the mapping has errors (see above); fix them and start again' : `${String(only)} (fix it and start again)` };
  }

  const ingestion = options.ingestion ?? startIngestion(link, logger, Infinity);
  const streams = bridgeStreamsOfDecoded(ingestion.decoded$, {
    scheduler,
    estimator: { onEstimator: (deck, estimator) => grids.adopt(deck, estimator) },
    plausibility: { timeScale: link.timeScale ?? 1 },
    positionSampling: { intervalMs$: positionInterval$, sample: positionOf },
    tracks:
      options.library === undefined
        ? null
        : new DeckTrackMatches(options.library, {
            onMatch: (deck, result, facts) => {
              if (result.ok) logger.info({ deck, trackId: facts.trackId, method: result.method, source: result.track.source.exportRoot }, `deck ${deck}: ${result.track.title} — ${result.track.artist}`);
              else logger.debug({ deck, trackId: facts.trackId, reason: result.reason }, `deck ${deck}: no library track: ${result.message}`);
            },
          }),
  });
  cueSource = streams.tracks === null ? null : libraryCues(streams.tracks);
  gridSource = streams.tracks === null ? null : libraryGrids(streams.tracks);
  const session = link.identity === null ? null : new ProlinkSession({ mode: options.mode, identity: link.identity });
  const apply = (step: SessionStep): void => {
    for (const out of step.send) {
      logger.trace({ to: `${out.address}:${out.port}`, what: out.what }, 'send');
      link.send(out);
    }
    for (const n of step.notices) {
      if (n.level === 'warn') limited.warn(`notice\u0000${n.code}`, n.message, { code: n.code });
      else limited.info(`notice\u0000${n.code}`, n.message, { code: n.code });
      activity.next({ kind: 'notice', level: n.level, message: n.message });
    }
  };

  subscriptions.add(streams.malformed$.subscribe((f) => {
    stats.malformed++;
    health.add('malformed', f.error.code);
    if (logger.isLevelEnabled('debug')) logger.debug({ from: f.address, code: f.error.code }, `skipped a malformed packet: ${f.error.message}`);
  }));
  subscriptions.add(streams.implausible$.subscribe((i) => {
    health.add('implausible', i.reason);
    if (logger.isLevelEnabled('debug')) logger.debug({ from: i.address, kind: i.kind, device: i.device, reason: i.reason }, `skipped an implausible packet: ${REASONS[i.reason]}`);
  }));
  subscriptions.add(streams.received$.subscribe(() => stats.received++));
  // The session answers only what the plausibility stage believed: a mangled or spoofed packet starts no hand-shake.
  let sessionTicks: SessionTicks | null = null;
  if (session !== null) {
    subscriptions.add(streams.believed$.subscribe((r) => {
      apply(session.receive(r.packet, r.address, scheduler.now()));
      sessionTicks?.received();
    }));
  }
  // The original OPUS script's behaviour, for dashboards built on it: raw status packets as binary frames.
  // One plain subscriber (no map and filter stages for every datagram).
  subscriptions.add(
    ingestion.datagrams$.subscribe((d) => {
      if (d.port === PORT_STATUS && d.data[OFFSET_TYPE] === TYPE_CDJ_STATUS) router.relayDatagram(d.data);
    }),
  );
  if (session !== null) {
    const startedAt = scheduler.now();
    apply(session.start(startedAt));
    // Ticks on the grid of interval(tickMs), but only when the session has something due (keep-alives every 1.5 s).
    sessionTicks = tickSession(session, scheduler, startedAt, options.tickMs ?? 100, apply, options.scheduler === undefined ? REAL_TIMER_SLACK_MS : 0);
    subscriptions.add(sessionTicks.subscription);
  }
  subscriptions.add(streams.metadata$.subscribe((m) => {
    if (m.kind === 'request') {
      const out = session?.requestPhrases(m.deckDevice, m.trackId) ?? null;
      if (out !== null) apply({ send: [out], notices: [] });
      else logger.debug({ deck: m.deck }, 'phrase data needs lighting mode and an OPUS-QUAD; not requested');
    } else if (m.kind === 'failed') {
      limited.warn(`phrase-failed\u0000${m.deck}`, m.message, { deck: m.deck, trackId: m.trackId });
    } else if (m.kind === 'structure') {
      structures.set(m.deck, { trackId: m.trackId, structure: m.structure });
      lookAhead.update(m.deck);
      limited.info(`phrase-received\u0000${m.deck}\u0000${m.trackId}`, 'phrase data received', {
        deck: m.deck,
        trackId: m.trackId,
        phrases: m.structure.phrases.length,
        mood: m.structure.mood,
      });
    }
  }));
  subscriptions.add(streams.devices$.subscribe((c) => {
    const d = c.device;
    const fields = { device: d.device, name: d.name, address: d.address, type: d.type };
    limited.info(`device\u0000${c.type}`, `device ${c.type}: ${d.name} #${d.device} at ${d.address}`, fields, DEVICE_LINE_BURST);
  }));
  flushGrid = scheduler.now();
  armFlush();
  subscriptions.add(logHealthSummary(health, (line) => logger.info(line), { scheduler }));
  // The latest state of every deck and the master (what worldOf gives), kept in place: the world is read only
  // synchronously (rules, the look-ahead, the outputs' deck lookups), so no Map is copied per status packet.
  const deckStates = new Map<number, DeckState>();
  latest = { decks: deckStates, masterDeck: null, positionOf };
  // One subscriber for each deck state (kept, then handed on), as two in a row were: the master is a stream of its own.
  subscriptions.add(streams.decks$.subscribe((d) => {
    deckStates.set(d.deck, d);
    grids.observeStatus(d);
    clocks.publish();
    abletonLink.publish();
    artnetTimecodes.reposition();
    lookAhead.update(d.deck);
  }));
  subscriptions.add(streams.master$.subscribe((m) => (latest = { decks: deckStates, masterDeck: m.deck, positionOf })));
  // The precise positions (what positions$ says with source 'precise'), taken from their packets: positions$ would
  // also make a position of every status and beat, for nothing here.
  subscriptions.add(streams.believed$.pipe(filter(isKindReceived('precisePosition'))).subscribe(({ packet, at }) => {
    const ms = packet.positionMs;
    precise.set(packet.deck, { at, ms });
    grids.observePrecise({ deck: packet.deck, at, ms, pitch: packet.pitch });
    // A jump goes out in the Art-Net packet right after the position that shows it, not at the next frame.
    artnetTimecodes.reposition();
  }));
  subscriptions.add(streams.events$.subscribe((event) => {
    stats.events++;
    if (event.type === 'beat') {
      grids.observeBeat(event);
      clocks.publish();
      abletonLink.publish();
    } else if (event.type === 'play' || event.type === 'stop' || event.type === 'master.change') {
      timecodes.update();
      artnetTimecodes.update();
    }
    runtime.handle(event, latest);
    lookAhead.actual(event);
  }));
  // Rules with `confirm: true` see beats and phrase changes only once the deck's own packets confirm them.
  streamsReady = streams;
  syncConfirmed();
  if (options.ingestion === undefined) ingestion.release();

  let stopped = false;
  return {
    ok: true,
    bridge: {
      streams,
      session,
      runtime,
      router,
      grids,
      artnetTimecode: artnetTimecodes,
      abletonLink,
      activity,
      mappingStatus: mappingStatus$,
      structures,
      stats,
      health,
      lookAhead: lookAhead.stats,
      unconfirmed,
      async stop(): Promise<void> {
        if (stopped) return;
        stopped = true;
        subscriptions.unsubscribe();
        ingestion.stop();
        lookAhead.stop();
        runtime.stop();
        timecodes.stop();
        await artnetTimecodes.stop();
        await clocks.stop();
        await abletonLink.stop();
        await router.close();
        await link.close();
        activity.complete();
        mappingStatus$.complete();
        positionInterval$.complete();
      },
    },
  };
}
