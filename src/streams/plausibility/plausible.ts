/**
 * The plausibility stage: decoded packets in, believed packets and the
 * reasons others were not believed out. Only believed packets reach device,
 * deck, beat, position and metadata state; every other packet is counted by
 * reason and becomes no event. A packet is believed when
 *
 * 1. it is consistent in itself (rules.ts): device number in range for its
 *    kind, readable name, fields that agree with each other;
 * 2. its sender is a device heard in keep-alives at that address with that
 *    name (identities.ts); a sender claiming a device that is known at
 *    another address is a spoof. Other senders are held until a keep-alive
 *    from their address and name confirms them within the grace period
 *    (held.ts): a capture that starts mid-stream, or a device whose first
 *    status beats its keep-alive, loses nothing. Only while no device has
 *    announced itself at all is there nothing to compare a sender with: then
 *    a consistent stream of its own confirms it too, and its first packet is
 *    believed at once while nothing has been refused for `quietMs` (a capture
 *    of status packets alone, a bench);
 * 3. it follows the sender's previous packets (sequence.ts): counters move
 *    forward, beats do not jump or repeat.
 *
 * Kinds no state is built from (claims, mixer status, on-air…) pass as they are.
 */
import type { OperatorFunction } from 'rxjs';
import type { Beat } from '../../prolink/packets/beat';
import type { CdjStatus } from '../../prolink/packets/cdj-status';
import { OPUS_NAME } from '../../prolink/packets/header';
import type { Received } from '../received';
import { withState, type Emit } from '../with-state';
import { HeldSenders } from './held';
import { Identities } from './identities';
import type { Implausible, ImplausibleReason } from './reasons';
import { checkBeat, checkChunk, checkKeepAlive, checkPosition, checkStatus, learnFromBeat, learnFromStatus, nothingLearned, type Learned } from './rules';
import { acceptBeat, acceptStatus, checkBeatSequence, checkStatusSequence, freshSequence, rejectStatus, type SenderSequence } from './sequence';

export interface PlausibilityOptions {
  /** A device heard this recently blocks a conflicting identity (default 4000 ms: over two keep-alive periods). */
  readonly liveMs?: number;
  /** A device's old number heard this recently blocks its new one (default 1500 ms: one keep-alive period). */
  readonly renumberMs?: number;
  /** Identities, confirmed streams and sequences are forgotten after this silence (default 10000 ms, as peers do). */
  readonly forgetMs?: number;
  /** Grace for senders no keep-alive has confirmed yet (default 3000 ms: two keep-alive periods). */
  readonly holdMs?: number;
  /** Before any keep-alive, unconfirmed senders are believed at once when nothing was refused for this long (default 5000 ms). */
  readonly quietMs?: number;
  /**
   * How much faster than the devices' own time packets arrive: a capture replayed at 10× speed gives 10. Every
   * duration above, and the timing the devices keep (status every ~200 ms, one beat per beat), is judged on the
   * devices' clock. Default 1 (live gear).
   */
  readonly timeScale?: number;
}

/** A packet believed, or why it was not. */
export type Judged = Received | Implausible;

export function isImplausible(j: Judged): j is Implausible {
  return 'reason' in j;
}

const MIN_SPACING_MS = 20;
/** A status every ~200 ms (mirrored switches double it) and a beat per beat, for the whole grace. */
const MAX_HELD_PER_SENDER = 64;
const MAX_HELD_SENDERS = 16;
const MAX_IDENTITIES = 64;
/** Streams confirmed without a keep-alive, and per-sender sequences, kept at most. */
const MAX_SENDERS = 256;
const FORGET_CHECK_MS = 1000;
/** A second identical keep-alive this much later confirms a new identity at a known address (real ones come every 1.5–2 s). */
const CONFIRM_AFTER_MS = 500;

/** A packet's time on the devices' clock: replays run `timeScale` times faster than the devices did. */
function timeOf(stage: Stage, r: Received): number {
  return r.at * stage.timeScale;
}

interface Stage {
  readonly identities: Identities<Received>;
  readonly held: HeldSenders;
  /** Senders confirmed by their own stream (no keep-alive yet): key → last packet time. */
  readonly streamed: Map<string, number>;
  readonly sequences: Map<string, SenderSequence>;
  readonly learned: Map<string, Learned>;
  readonly keys: Keys;
  readonly forgetMs: number;
  readonly quietMs: number;
  readonly timeScale: number;
  forgotAt: number;
  /** No sender in `streamed` is forgotten before this instant (its oldest time at the last look + forgetMs; times only grow). */
  streamedUntil: number;
  /** The latest arrival time of a packet that was not believed. */
  refusedAt: number;
}

type Gated = Received<Extract<Received['packet'], { kind: 'cdjStatus' | 'beat' | 'precisePosition' | 'binaryChunk' }>>;

function isGated(r: Received): r is Gated {
  const k = r.packet.kind;
  return k === 'cdjStatus' || k === 'beat' || k === 'precisePosition' || k === 'binaryChunk';
}

function implausible(r: Received, reason: ImplausibleReason): Implausible {
  const device = 'device' in r.packet && typeof r.packet.device === 'number' ? r.packet.device : null;
  return { reason, kind: r.packet.kind, device, address: r.address, at: r.at };
}

function isOpusPacket(r: Gated): boolean {
  return r.packet.name === OPUS_NAME;
}

/**
 * The stage's map keys ("address|name" and "address|name|device"), built once
 * and looked up afterwards: building them per packet was three strings (and
 * their flattening) per status. Bounded: past KEYS_KEPT it starts afresh.
 */
class Keys {
  private readonly byAddress = new Map<string, Map<string, Map<string | number, string>>>();
  private count = 0;

  /** `address|name`, with `|tail` unless `tail` is ''. */
  key(address: string, name: string, tail: string | number): string {
    let byName = this.byAddress.get(address);
    if (byName === undefined) this.byAddress.set(address, (byName = new Map()));
    let byTail = byName.get(name);
    if (byTail === undefined) byName.set(name, (byTail = new Map()));
    let key = byTail.get(tail);
    if (key === undefined) {
      if (this.count >= KEYS_KEPT) {
        this.byAddress.clear();
        this.count = 0;
        return this.key(address, name, tail);
      }
      key = tail === '' ? `${address}|${name}` : `${address}|${name}|${tail}`;
      byTail.set(tail, key);
      this.count++;
    }
    return key;
  }
}

const KEYS_KEPT = 1024;

/** Held packets and confirmed streams are per sender; an OPUS-QUAD's four decks are one sender. */
function senderKey(stage: Stage, r: Gated): string {
  return stage.keys.key(r.address, r.packet.name, isOpusPacket(r) ? 'opus' : r.packet.device);
}

function bounded<V>(map: Map<string, V>, key: string, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= MAX_SENDERS) {
      const first = map.keys().next();
      if (first.done !== true) map.delete(first.value);
    }
    value = make();
    map.set(key, value);
  }
  return value;
}

/** What a believed sender has shown; nothing is enforced for a sender never believed. */
const NOTHING_LEARNED: Readonly<Learned> = Object.freeze(nothingLearned());

function learnedFor(stage: Stage, r: Gated): Learned {
  return bounded(stage.learned, stage.keys.key(r.address, r.packet.name, ''), nothingLearned);
}

function learnedSoFar(stage: Stage, r: Gated): Readonly<Learned> {
  return stage.learned.get(stage.keys.key(r.address, r.packet.name, '')) ?? NOTHING_LEARNED;
}

function fieldReason(stage: Stage, r: Gated): ImplausibleReason | null {
  const data = r.data ?? null;
  switch (r.packet.kind) {
    case 'cdjStatus':
      return checkStatus(r.packet, data, learnedSoFar(stage, r));
    case 'beat':
      return checkBeat(r.packet, data, learnedSoFar(stage, r));
    case 'precisePosition':
      return checkPosition(r.packet);
    case 'binaryChunk':
      return checkChunk(r.packet);
  }
}

/** Sequence checks and learning for a packet from a believed sender; emits it or why not. */
function believe(stage: Stage, r: Gated, emit: Emit<Judged>): void {
  const data = r.data ?? null;
  const { packet } = r;
  if (packet.kind !== 'cdjStatus' && packet.kind !== 'beat') {
    emit(r);
    return;
  }
  const q = bounded(stage.sequences, stage.keys.key(r.address, packet.name, packet.device), freshSequence);
  if (packet.kind === 'cdjStatus') {
    const status: CdjStatus = packet;
    const verdict = checkStatusSequence(q, status, data, timeOf(stage, r));
    if (verdict !== null && verdict !== 'copy') {
      rejectStatus(q, status, verdict, timeOf(stage, r));
      refuse(stage, r, verdict, emit);
      return;
    }
    if (verdict === null) {
      acceptStatus(q, status, data, timeOf(stage, r));
      learnFromStatus(status, data, learnedFor(stage, r));
    }
    emit(r);
    return;
  }
  const beat: Beat = packet;
  const verdict = checkBeatSequence(q, beat, data, timeOf(stage, r));
  if (verdict !== null && verdict !== 'copy') {
    refuse(stage, r, verdict, emit);
    return;
  }
  if (verdict === null) {
    acceptBeat(q, beat, data, timeOf(stage, r));
    learnFromBeat(data, learnedFor(stage, r));
  }
  emit(r);
}

/** Every refusal goes out through here, so the stage knows when the network was last unclean. */
function refuse(stage: Stage, r: Received, reason: ImplausibleReason, emit: Emit<Judged>): void {
  const at = timeOf(stage, r);
  if (at > stage.refusedAt) stage.refusedAt = at;
  emit(implausible(r, reason));
}

function releaseAll(stage: Stage, items: readonly Received[], emit: Emit<Judged>): void {
  for (const item of items) if (isGated(item)) believe(stage, item, emit);
}

function dropAll(stage: Stage, items: readonly Received[], emit: Emit<Judged>): void {
  for (const item of items) refuse(stage, item, 'unconfirmed-sender', emit);
}

function housekeeping(stage: Stage, at: number, emit: Emit<Judged>): void {
  if (stage.held.size > 0) dropAll(stage, stage.held.expire(at), emit);
  if (at - stage.forgotAt < FORGET_CHECK_MS) return;
  stage.forgotAt = at;
  dropAll(stage, stage.identities.forget(at), emit);
  if (at < stage.streamedUntil) return;
  let oldest = Infinity;
  for (const [key, last] of stage.streamed) {
    if (at - last >= stage.forgetMs) stage.streamed.delete(key);
    else oldest = Math.min(oldest, last);
  }
  stage.streamedUntil = oldest + stage.forgetMs;
}

function onKeepAlive(stage: Stage, r: Received, emit: Emit<Judged>): void {
  if (r.packet.kind !== 'keepAlive') return;
  const k = r.packet;
  const reason = checkKeepAlive(k, r.address);
  if (reason !== null) {
    stage.held.taint(r.address, timeOf(stage, r));
    refuse(stage, r, reason, emit);
    return;
  }
  const verdict = stage.identities.keepAlive(k, r.address, timeOf(stage, r), r);
  if ('reason' in verdict) {
    refuse(stage, r, verdict.reason, emit);
    return;
  }
  if ('pending' in verdict) {
    dropAll(stage, verdict.dropped, emit);
    return;
  }
  for (const item of verdict.believed) emit(item);
  for (const key of stage.held.keysAt(r.address)) {
    if (key === `${r.address}|${k.name}|${k.isOpus ? 'opus' : k.device}`) releaseAll(stage, stage.held.release(key), emit);
  }
}

function onGated(stage: Stage, r: Gated, emit: Emit<Judged>): void {
  const reason = fieldReason(stage, r);
  if (reason !== null) {
    stage.held.taint(r.address, timeOf(stage, r));
    refuse(stage, r, reason, emit);
    return;
  }
  const standing = stage.identities.standing(r.address, r.packet.name, r.packet.device, isOpusPacket(r), timeOf(stage, r));
  if (standing === 'known') {
    believe(stage, r, emit);
    return;
  }
  if (standing !== 'unknown') {
    stage.held.taint(r.address, timeOf(stage, r));
    refuse(stage, r, standing, emit);
    return;
  }
  const key = senderKey(stage, r);
  if (stage.streamed.has(key)) {
    stage.streamed.set(key, timeOf(stage, r));
    believe(stage, r, emit);
    return;
  }
  if (stage.identities.size === 0 && timeOf(stage, r) - stage.refusedAt >= stage.quietMs && !stage.held.holds(key)) {
    believe(stage, r, emit);
    return;
  }
  const { released, dropped } = stage.held.hold(key, r, timeOf(stage, r), stage.identities.size === 0);
  dropAll(stage, dropped, emit);
  if (released === null) return;
  bounded(stage.streamed, key, () => timeOf(stage, r));
  stage.streamed.set(key, timeOf(stage, r));
  releaseAll(stage, released, emit);
}

/** Judges every decoded packet; see the file comment. */
export function plausibility(options: PlausibilityOptions = {}): OperatorFunction<Received, Judged> {
  const liveMs = options.liveMs ?? 4000;
  const forgetMs = options.forgetMs ?? 10_000;
  const holdMs = options.holdMs ?? 3000;
  return withState<Received, Judged, Stage>(
    () => ({
      identities: new Identities<Received>({
        liveMs,
        renumberMs: options.renumberMs ?? 1500,
        forgetMs,
        maxIdentities: MAX_IDENTITIES,
        confirmAfterMs: CONFIRM_AFTER_MS,
        confirmWithinMs: liveMs + FORGET_CHECK_MS,
        maxPending: MAX_HELD_SENDERS,
      }),
      held: new HeldSenders({ holdMs, minSpacingMs: MIN_SPACING_MS, maxPerSender: MAX_HELD_PER_SENDER, maxSenders: MAX_HELD_SENDERS }),
      streamed: new Map(),
      sequences: new Map(),
      learned: new Map(),
      keys: new Keys(),
      forgetMs,
      quietMs: options.quietMs ?? 5000,
      timeScale: options.timeScale !== undefined && options.timeScale > 0 ? options.timeScale : 1,
      forgotAt: -Infinity,
      streamedUntil: -Infinity,
      refusedAt: -Infinity,
    }),
    (stage, r, emit) => {
      housekeeping(stage, timeOf(stage, r), emit);
      if (r.packet.kind === 'keepAlive') onKeepAlive(stage, r, emit);
      else if (isGated(r)) onGated(stage, r, emit);
      else emit(r);
    },
  );
}
