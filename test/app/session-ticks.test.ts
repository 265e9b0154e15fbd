/**
 * The session ticked only when something is due sends the same packets at
 * the same (virtual) times as the session ticked by interval(100), in every
 * mode, with packets arriving on and off the tick grid: keep-alives, the OPUS
 * hand-shake and its timeout, CDJ claims and collisions, auto mode's decision.
 */
import { interval, VirtualAction, VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { REAL_TIMER_SLACK_MS, tickSession } from '../../src/app/session-ticks';
import { ProlinkSession } from '../../src/prolink/network/session';
import type { Identity, SessionMode, SessionPacket, SessionStep } from '../../src/prolink/network/session-types';
import { decodePacket } from '../../src/prolink/packets/dispatch';
import { encodeCdjKeepAlive } from '../../src/prolink/packets/keep-alive';
import { encodeConflict } from '../../src/prolink/packets/claim-encode';
import { isPacketError } from '../../src/prolink/packets/errors';

const us: Identity = { address: '169.254.1.2', mac: '02:00:00:00:00:02', broadcast: '169.254.255.255', hostName: 'showlaptop' };
const OPUS_IP = '169.254.9.9';
const CDJ_IP = '169.254.3.3';

function decoded(port: number, buf: Buffer): SessionPacket {
  const packet = decodePacket(port, buf);
  if (isPacketError(packet)) throw new Error(String(packet));
  return packet;
}

const opusKeepAlive = decoded(50000, encodeCdjKeepAlive({ name: 'OPUS-QUAD', device: 9, mac: '02:00:00:00:00:09', ip: OPUS_IP }));
const cdjKeepAlive = (device: number): SessionPacket => decoded(50000, encodeCdjKeepAlive({ name: 'CDJ-3000', device, mac: '02:00:00:00:00:03', ip: CDJ_IP }));
const conflict = (device: number): SessionPacket => decoded(50000, encodeConflict({ name: 'CDJ-3000', device, ip: CDJ_IP }));

interface Arrival {
  readonly at: number;
  readonly packet: SessionPacket;
  readonly from: string;
}

type Driver = 'interval' | 'due';

/** What the session sent and noticed, with the virtual time, and how many times it was ticked. */
function run(mode: SessionMode, arrivals: readonly Arrival[], driver: Driver, startAt: number, untilMs: number): { log: string[]; ticks: number } {
  const scheduler = new VirtualTimeScheduler(VirtualAction, untilMs);
  const log: string[] = [];
  let ticks = 0;
  const session = new ProlinkSession({ mode, identity: us });
  const counted = { tick: (now: number) => (ticks++, session.tick(now)), nextDue: () => session.nextDue() };
  const apply = (s: SessionStep): void => {
    for (const o of s.send) log.push(`${scheduler.now()} send ${o.what} -> ${o.address}:${o.port} ${o.data.toString('hex')}`);
    for (const n of s.notices) log.push(`${scheduler.now()} notice ${n.code}`);
  };
  let received = (): void => undefined;
  // As the bridge does: the session starts once its subscriptions are in place, and packets come in on the scheduler.
  scheduler.schedule(() => {
    const now = scheduler.now();
    apply(session.start(now));
    if (driver === 'interval') {
      interval(100, scheduler).subscribe(() => apply(counted.tick(scheduler.now())));
    } else {
      const ticking = tickSession(counted, scheduler, now, 100, apply);
      received = () => ticking.received();
    }
  }, startAt);
  for (const a of arrivals) {
    scheduler.schedule(() => {
      apply(session.receive(a.packet, a.from, scheduler.now()));
      received();
    }, a.at);
  }
  scheduler.flush();
  return { log, ticks };
}

function same(mode: SessionMode, arrivals: readonly Arrival[], startAt = 0, untilMs = 40_000): { ticks: number; log: string[] } {
  const byInterval = run(mode, arrivals, 'interval', startAt, untilMs);
  const byDue = run(mode, arrivals, 'due', startAt, untilMs);
  expect(byDue.log).toEqual(byInterval.log);
  expect(byDue.ticks).toBeLessThan(byInterval.ticks);
  return { ticks: byDue.ticks, log: byDue.log };
}

/** OPUS keep-alives every `every` ms from `from` to `to`, a little off the 100 ms grid. */
function opusFrom(from: number, to: number, every = 1500, jitter = 37): Arrival[] {
  const out: Arrival[] = [];
  for (let at = from; at < to; at += every) out.push({ at: at + (out.length % 3) * jitter, packet: opusKeepAlive, from: OPUS_IP });
  return out;
}

describe('the session ticked only when something is due', () => {
  it('lighting: keep-alives and 0x11 requests as interval(100) sends them, about one wake-up per keep-alive', () => {
    const { ticks, log } = same('lighting', opusFrom(250, 40_000), 7);
    expect(log.filter((l) => l.includes('lighting keep-alive')).length).toBeGreaterThan(20);
    expect(ticks).toBeLessThanOrEqual(40_000 / 1500 + 2);
  });

  it('lighting: the OPUS going silent and coming back (its timeout counts once strictly past)', () => {
    const { log } = same('lighting', [...opusFrom(100, 5_000, 1000, 0), ...opusFrom(21_050, 30_000, 1000, 0)], 0);
    expect(log.some((l) => l.includes('opus-lost'))).toBe(true);
    expect(log.some((l) => l.includes('opus-back'))).toBe(true);
  });

  it('lighting: silence exactly on the grid', () => {
    const { log } = same('lighting', opusFrom(300, 3_000, 300, 0), 200);
    expect(log.some((l) => l.includes('opus-lost'))).toBe(true);
  });

  it('cdj: the claim stages, a conflict in the middle of them, then keep-alives', () => {
    const { log } = same('cdj', [{ at: 1_234, packet: conflict(7), from: CDJ_IP }, { at: 9_050, packet: cdjKeepAlive(8), from: CDJ_IP }], 30);
    expect(log.some((l) => l.includes('number-conflict'))).toBe(true);
    expect(log.some((l) => l.includes('CDJ keep-alive'))).toBe(true);
  });

  it('cdj: a collision long after the last tick, between keep-alives', () => {
    const { log } = same('cdj', [{ at: 12_345, packet: cdjKeepAlive(7), from: CDJ_IP }]);
    expect(log.some((l) => l.startsWith('12400 send hello') || l.startsWith('12400 send claim1'))).toBe(true);
  });

  it('cdj: a collision exactly on a tick of the grid', () => {
    same('cdj', [{ at: 900, packet: conflict(7), from: CDJ_IP }, { at: 5_000, packet: cdjKeepAlive(8), from: CDJ_IP }]);
  });

  it('auto: players heard, no OPUS, joins as a CDJ after the decision time', () => {
    const { log } = same('auto', [{ at: 555, packet: cdjKeepAlive(2), from: CDJ_IP }, { at: 2_055, packet: cdjKeepAlive(2), from: CDJ_IP }]);
    expect(log.some((l) => l.includes('notice mode'))).toBe(true);
  });

  it('auto: an OPUS heard joins in lighting mode on the spot', () => {
    same('auto', opusFrom(777, 20_000));
  });

  it('passive: never ticked', () => {
    expect(run('passive', opusFrom(100, 10_000), 'due', 0, 20_000)).toEqual({ log: [], ticks: 0 });
  });
});

describe('the session ticked on real timers', () => {
  /** Virtual time whose timers fire a little early, as the event loop's whole-ms clock lets real ones; one for less than 1 ms waits 1 ms, as a real one does. */
  function earlyTimers(scheduler: VirtualTimeScheduler, earlyMs: number): SchedulerLike & { set: number } {
    const early = {
      set: 0,
      now: () => scheduler.now(),
      schedule: (work: () => void, delay = 0) => {
        early.set++;
        return scheduler.schedule(work, delay >= 1 ? delay - earlyMs : 1);
      },
    };
    return early as SchedulerLike & { set: number };
  }

  function lighting(slackMs: number): { sends: number[]; ticks: number; set: number } {
    const scheduler = new VirtualTimeScheduler(VirtualAction, 20_000);
    const timers = earlyTimers(scheduler, 0.6);
    const session = new ProlinkSession({ mode: 'lighting', identity: us });
    const sends: number[] = [];
    let ticks = 0;
    const counted = { tick: (now: number) => (ticks++, session.tick(now)), nextDue: () => session.nextDue() };
    const apply = (s: SessionStep): void => {
      for (const o of s.send) if (o.what.includes('keep-alive')) sends.push(scheduler.now());
    };
    scheduler.schedule(() => {
      apply(session.start(scheduler.now()));
      tickSession(counted, timers, scheduler.now(), 100, apply, slackMs);
    }, 0);
    scheduler.flush();
    return { sends, ticks, set: timers.set };
  }

  it('sets each keep-alive tick once, not once early and again for the rest, and never ticks before its instant', () => {
    const exact = lighting(0);
    const slack = lighting(REAL_TIMER_SLACK_MS);
    // Without slack every tick woke early and was set again for the rest (the first timer is the start's).
    expect(exact.set).toBe(2 * exact.ticks + 1);
    expect(slack.set).toBe(slack.ticks + 1);
    expect(slack.ticks).toBeGreaterThan(10);
    // The same keep-alives at the same instants, none before its tick of the grid.
    expect(slack.sends).toEqual(exact.sends);
    slack.sends.forEach((at) => expect(at % 100).toBeLessThan(REAL_TIMER_SLACK_MS));
  });
});
