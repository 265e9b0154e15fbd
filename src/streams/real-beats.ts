/**
 * Beats from real beat packets (§4): the packet's arrival is the beat. Beat
 * packets carry no beat number, so it is carried forward from the player's
 * status beat counter (0xa0): the next beat after counter c is c + 1.
 * Mixer beat packets (a metronome, §4) are left out.
 *
 * A beat packet lost on the way (one in twenty over the Wi-Fi of a real
 * 33-minute capture of two CDJ-2000NXS2s) shows in the next one: it comes
 * two beats after the last, and its place in the bar is two on (three lost
 * in a row: the same place a bar on, with a status in between showing the
 * deck in another beat). When time and bar place agree on the beats that
 * passed while the deck played on, the packet takes its true number and
 * each beat lost before it fires at once, `late`, `estimated` (no packet
 * marked it) and `confirmed` (the player's packets showed it), at the
 * instant it had: no number is skipped. Beat 1's own packet, lost as play
 * starts, shows in the first packet being a place on in the bar from the
 * status that showed 1; the packet of the beat the player stopped in, in the
 * status showing it stopped there; the packet of the beat before a jump, in
 * a status that showed the player in it. Through a known loop the count
 * wraps as the player does, so a packet lost at a wrap fires as the loop's
 * start; a status showing the player back at a loop's start a beat or more
 * after the last packet means the wrap's own packet went missing, and the
 * loop is learned with that beat in it. A CDJ-3000 says in its status which
 * loop it plays; with its precise positions that loop is known before its
 * first wrap (reportedLoop), so even that wrap's packet is the loop's start.
 *
 * The first beat after a jump (a cue, a hot cue, a loop's first wrap) that
 * no status has shown yet: when its place in the bar is not the next one,
 * the player jumped, but where to only the next status says. The beat fires
 * on time with no number (`beat: null`); a status inside that beat numbers
 * it for the count. When the place in the bar cannot show it (a jump by
 * whole bars), it carries the number the deck would have reached.
 *
 * The packets' count holds against a status a beat either side of it that
 * raced a packet; a status a beat ahead that shows the player in the last
 * packet's beat (its place in the bar) is right, and the count, which fell
 * behind, takes its number.
 */
import type { Observable } from 'rxjs';
import { EMPTY, filter, merge } from '../rx';
import type { Beat } from '../prolink/packets/beat';
import type { CdjStatus } from '../prolink/packets/cdj-status';
import type { PrecisePosition } from '../prolink/packets/precise-position';
import { cuePointBeat } from '../prolink/packets/status-names';
import type { BeatEvent } from '../events/bridge-event';
import type { Received } from './received';
import { withState } from './with-state';
import {
  STATUS_RACE_MS,
  WRAP_MISSED_BEATS,
  COPY_WITHIN_BEATS,
  ROLL_COPY_MS,
  rollWrap,
  sameBeat,
  type DeviceCount,
  placesOn,
  beatsSince,
  beatsSinceLastPacket,
  learnLoop,
  reportedLoop,
  statusInBeatOfPacket,
  activeLoop,
  beatAfter,
  countReaches,
  jumpedUnseen,
  fillBeforeStop,
  beatShownAfterPacket,
  shownBeatLost,
  newDeviceCount,
  packetOfFilledBeat,
  placeInBar,
  placeAfter,
  lostBeat,
  notePosition,
  landedOnLostBeat,
  playedBeforeJump,
  playheadAt,
} from './real-beat-count';

type Input = Received<Beat> | Received<CdjStatus> | Received<PrecisePosition>;

function isStatus(r: Input): r is Received<CdjStatus> {
  return r.packet.kind === 'cdjStatus';
}

function isPosition(r: Input): r is Received<PrecisePosition> {
  return r.packet.kind === 'precisePosition';
}

/** `positions`: precise positions (§5; CDJ-3000s send them), which place a loop the status reports on the count. */
export function realBeats(beats: Observable<Received<Beat>>, status: Observable<Received<CdjStatus>>, positions: Observable<Received<PrecisePosition>> = EMPTY): Observable<BeatEvent> {
  const inputs = merge(
    beats.pipe(filter((b) => !b.packet.fromMixer)),
    status.pipe(filter((s) => !s.packet.isOpus)),
    positions.pipe(filter((p) => !p.packet.isOpus)),
  );
  return inputs.pipe(
    withState<Input, BeatEvent, Map<number, DeviceCount>>(
      () => new Map(),
      (counts, input, emit) => {
        const { packet, at } = input;
        let known = counts.get(packet.device);
        if (known === undefined) {
          known = newDeviceCount();
          counts.set(packet.device, known);
        }
        if (isPosition(input)) {
          notePosition(known, input.packet.positionMs, input.packet.pitch, at);
          return;
        }
        if (isStatus(input)) {
          // (Not one at the cue point: the CUE button put the player back there, since the beat packet.)
          const raced = input.packet.playState !== 'cued' && known.lastBeat !== null && input.packet.beat === known.lastBeat - 1 && at - known.lastBeatAt < STATUS_RACE_MS;
          const wasLooping = known.looping;
          const shown = known.playing && !known.stopped ? beatShownAfterPacket(known, input) : null;
          if (shown !== null && !input.packet.playing) fillBeforeStop(known, shown, packet.device, emit);
          else if (shown !== null) known.shown = shown;
          known.looping = input.packet.playState === 'looping' || input.packet.loop !== null;
          known.rolling = input.packet.playing && input.packet.loop !== null && input.packet.loop.beats === null;
          known.playing = input.packet.playing;
          known.statusAt = at;
          known.statusInBar = placeInBar(input.packet.beatInBar);
          if (!input.packet.playing) known.stopped = true;
          if (!input.packet.playing || (wasLooping && !known.looping)) known.loop = null;
          else if (!raced) {
            // Where the player says which loop it plays (a CDJ-3000), that loop; a known one that agrees stays, with its wraps.
            const reported = reportedLoop(known, input.packet, at);
            if (reported !== null) {
              if (known.loop === null || known.loop.start !== reported.start || known.loop.end !== reported.end) known.loop = reported;
            } else if (known.rolling) {
              // A loop shorter than a beat (a roll, no whole beats): no loop of whole beats wraps now.
              known.loop = null;
            } else {
              const bpm = input.packet.effectiveBpm ?? 0;
              const missedWrap = bpm > 0 && beatsSince(known, at, bpm) >= WRAP_MISSED_BEATS;
              known.loop = learnLoop(known.loop, known.lastBeat, input.packet.beat, known.wrapped, missedWrap);
            }
          }
          // The beat a jump's first packet fired without a number: a status inside that beat gives it, so a
          // packet lost after it can be counted from there.
          if (known.packetBeat === null && input.packet.playing && input.packet.beat !== null && statusInBeatOfPacket(known)) {
            known.packetBeat = input.packet.beat;
          }
          if (!raced) {
            const p = input.packet;
            known.leftStart = p.beat === 1 && (known.lastBeat === 0 || (known.leftStart && known.lastBeat === 1));
            // At the cue point, and still in its beat once playing (until that beat's packet comes).
            known.atCue = cuePointBeat(p) !== null || (known.atCue && p.playing && p.beat === known.lastBeat);
            known.lastBeat = p.beat;
          }
          known.wrapped = false;
          return;
        }
        const bpm = input.packet.effectiveBpm ?? 0;
        const copyWindowMs = bpm > 0 ? (COPY_WITHIN_BEATS * 60_000) / bpm : 0;
        const sinceLast = at - known.lastBeatAt;
        const same = known.lastPacket !== null && sameBeat(known.lastPacket, input.packet);
        if (same && known.rolling) {
          // The player says it rolls (a loop shorter than a beat): the same packet again within a beat is the roll's
          // wrap, the rolled beat again (rollWrap); within milliseconds a copy. Otherwise (a jump landing on the same
          // place in the bar just after a wrap, a slip roll let go on a bar) it is counted as any packet.
          if (sinceLast < ROLL_COPY_MS) return;
          if (rollWrap(known, at, bpm)) {
            known.lastBeatAt = at;
            emit({ type: 'beat', at, deck: packet.device, beat: known.packetBeat, beatInBar: known.packetInBar, effectiveBpm: input.packet.effectiveBpm, estimated: false, late: false, coasting: false });
            return;
          }
        } else if (same && sinceLast < copyWindowMs) return;
        const inBar = placeInBar(input.packet.beatInBar);
        if (packetOfFilledBeat(known, at, inBar, bpm)) return;
        known.lastPacket = input.packet;
        known.filledAtStop = false;
        // Play from the start of the track (the counter showed 1 before beat 1) or from the cue point: this packet
        // is the beat the counter shows.
        const fromStart = (known.leftStart && known.lastBeat === 1) || (known.atCue && known.lastBeat !== null);
        // That beat's own packet lost: this one is a place on in the bar from the status that showed it. That beat
        // fires late, a beat before this one, which is the beat after it.
        const firstLost = fromStart && bpm > 0 && inBar !== null && known.statusInBar !== null && placesOn(known.statusInBar, inBar) === 1;
        let filled = firstLost;
        if (firstLost && known.lastBeat !== null) {
          emit(lostBeat(packet.device, at - 60_000 / bpm, known.lastBeat, known.statusInBar, input.packet.effectiveBpm));
        }
        const step = fromStart && !firstLost ? 0 : 1;
        known.leftStart = false;
        known.atCue = false;
        const last = known.lastBeat;
        let beat = last === null ? null : last + step;
        const active = activeLoop(known);
        known.wrapped = false;
        if (beat !== null && active !== null && beat === active.end) {
          beat = active.start;
          known.wrapped = true;
        }
        const passed = beat === null ? null : beatsSinceLastPacket(known, at, inBar, bpm);
        const from = known.packetBeat;
        if (passed !== null && beat !== null && from !== null) {
          // The packets in between were lost. A status since that shows the player from the last packet's beat
          // up to this one's, or a beat either side (statuses and beat packets race over a bursty link), agrees:
          // the packets' count holds (through the loop's wrap, when it is known), and no number comes twice.
          // A beat more than the count, from a status in the last packet's beat (same place in the bar): the
          // count fell behind (the first beat after play lost with its packet), and the status holds.
          const behind = beat === beatAfter(active, from, passed + 1) && statusInBeatOfPacket(known) ? 1 : 0;
          if (countReaches(active, from, passed + 1, beat)) {
            beat = beatAfter(active, from, passed + behind);
            known.wrapped = active !== null && beat === active.start && passed >= 1;
            // Each lost beat, late, at its instant; none when a status showed the deck somewhere else.
            const period = 60_000 / bpm;
            for (let k = 1; k < passed; k++) {
              filled = true;
              emit(lostBeat(packet.device, known.lastBeatAt + k * period, beatAfter(active, from, k + behind), placeAfter(known.packetInBar, k), input.packet.effectiveBpm));
            }
          }
        }
        // About a beat on, but not one place on in the bar: a jump (a cue, a loop's first wrap) no status has
        // shown yet. Where to is not known: the beat fires on time without a number, and the next status gives it.
        if (passed === null && beat !== null && from !== null && (beat === from + 1 || beat === from + 2) && !known.wrapped && jumpedUnseen(known, at, inBar, bpm, beat - from)) {
          beat = null;
          // A status showed the player in the beat after the last packet's, whose packet never came: nothing after
          // the jump will count it, so it fires here, late, at its instant.
          const lost = known.shown;
          if (lost !== null && lost.beat === from + 1) {
            filled = true;
            emit(shownBeatLost(packet.device, lost));
          }
        }
        // The positions show the deck reached the beat after the last packet's before it jumped, and its packet never came.
        const reachedAt = filled || from === null ? NaN : playedBeforeJump(known, input.packet);
        if (!Number.isNaN(reachedAt) && from !== null) {
          filled = beat !== null && beatAfter(active, from, 1) === beat - 1;
          emit(lostBeat(packet.device, reachedAt, beatAfter(active, from, 1), placeAfter(known.packetInBar, 1), input.packet.effectiveBpm));
        }
        // The positions show the deck landed on the start of the beat before this one, and its packet never came.
        const landedAt = beat === null || filled ? NaN : landedOnLostBeat(known, input.packet, beat, at);
        if (!Number.isNaN(landedAt) && beat !== null) {
          emit(lostBeat(packet.device, landedAt, beat - 1, placeAfter(inBar, -1), input.packet.effectiveBpm));
        }
        known.landingAt = NaN;
        known.packetMs = playheadAt(known, at);
        known.shown = null;
        known.lastBeat = beat;
        known.lastBeatAt = at;
        known.countedAt = at;
        known.packetBeat = beat;
        known.packetInBar = inBar;
        known.stopped = false;
        emit({ type: 'beat', at, deck: packet.device, beat, beatInBar: inBar, effectiveBpm: input.packet.effectiveBpm, estimated: false, late: false, coasting: false });
      },
    ),
  );
}
