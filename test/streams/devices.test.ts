/**
 * Devices are lost at the same ticks, with the same times, as when silence
 * was checked at every tick of interval(checkEveryMs), but the check runs
 * only when a device can be due: no timer while none is known, and a
 * handful of wake-ups instead of one a second while all are heard.
 */
import { interval, map, merge, Subject, VirtualAction, VirtualTimeScheduler, type Observable, type SchedulerLike } from 'rxjs';
import { trackDevices, type DeviceChange, type DeviceInfo } from '../../src/streams/devices';
import type { Received } from '../../src/streams/received';
import { withState } from '../../src/streams/with-state';
import { decodePacket } from '../../src/prolink/packets/dispatch';
import { encodeCdjKeepAlive, type KeepAlive } from '../../src/prolink/packets/keep-alive';
import { isPacketError } from '../../src/prolink/packets/errors';
import { countVirtualActions } from '../support/virtual-actions';

/** The tracker as it was: a check at every tick of interval(checkEveryMs). */
function everyTick(keepAlives: Observable<Received<KeepAlive>>, scheduler: SchedulerLike, lostAfterMs: number, checkEveryMs: number): Observable<DeviceChange> {
  type Input = { readonly keepAlive: Received<KeepAlive> } | { readonly tick: number };
  const ticks = interval(checkEveryMs, scheduler).pipe(map((): Input => ({ tick: scheduler.now() })));
  return merge(keepAlives.pipe(map((keepAlive): Input => ({ keepAlive }))), ticks).pipe(
    withState<Input, DeviceChange, Map<number, DeviceInfo>>(
      () => new Map(),
      (devices, input, emit) => {
        if ('tick' in input) {
          const lost = [...devices.values()].filter((d) => input.tick - d.lastSeen >= lostAfterMs);
          for (const d of lost) devices.delete(d.device);
          for (const device of lost) emit({ type: 'lost', device, at: input.tick });
          return;
        }
        const { packet, address, at } = input.keepAlive;
        const info: DeviceInfo = { device: packet.device, name: packet.name, address, mac: packet.mac, type: packet.deviceType, isOpus: packet.isOpus, lastSeen: at };
        const known = devices.get(info.device);
        devices.set(info.device, info);
        if (known === undefined) emit({ type: 'appeared', device: info, at: info.lastSeen });
        else if (known.name !== info.name || known.address !== info.address || known.type !== info.type || known.mac !== info.mac) emit({ type: 'changed', device: info, at: info.lastSeen });
      },
    ),
  );
}

function keepAlive(device: number, name = 'CDJ-3000'): KeepAlive {
  const packet = decodePacket(50000, encodeCdjKeepAlive({ name, device, mac: `02:00:00:00:00:0${device}`, ip: `169.254.3.${device}` }));
  if (isPacketError(packet) || packet.kind !== 'keepAlive') throw new Error('not a keep-alive');
  return packet;
}

interface Arrival {
  readonly at: number;
  readonly device: number;
  readonly name?: string;
}

interface Run {
  readonly changes: readonly string[];
  /** Timer actions that ran (the tracker's own, not the arrivals'). */
  readonly wakeUps: number;
}

function run(arrivals: readonly Arrival[], subscribeAt: number, untilMs: number, tracker: 'lazy' | 'every-tick', lostAfterMs = 10_000, checkEveryMs = 1000): Run {
  const scheduler = new VirtualTimeScheduler(VirtualAction, untilMs);
  const input = new Subject<Received<KeepAlive>>();
  const changes: string[] = [];
  for (const a of arrivals) {
    scheduler.schedule(() => input.next({ packet: keepAlive(a.device, a.name), address: `169.254.3.${a.device}`, at: scheduler.now() }), a.at);
  }
  scheduler.schedule(() => {
    const devices = tracker === 'lazy' ? trackDevices(input, scheduler, { lostAfterMs, checkEveryMs }) : everyTick(input, scheduler, lostAfterMs, checkEveryMs);
    devices.subscribe((c) => changes.push(`${c.at} ${c.type} #${c.device.device} ${c.device.name}`));
  }, subscribeAt);
  // Count the tracker's timers: every action flushed, less the arrivals and the subscription.
  const actions = countVirtualActions(() => scheduler.flush());
  return { changes, wakeUps: actions - arrivals.length - 1 };
}

/** Keep-alives of `device` every `everyMs` from `from` until before `until`. */
function heard(device: number, from: number, until: number, everyMs = 1500, name?: string): Arrival[] {
  const out: Arrival[] = [];
  for (let at = from; at < until; at += everyMs) out.push(name === undefined ? { at, device } : { at, device, name });
  return out;
}

describe('trackDevices', () => {
  const scenarios: Record<string, { arrivals: Arrival[]; subscribeAt: number; untilMs: number; lostAfterMs?: number; checkEveryMs?: number }> = {
    'a device heard, then silent': { arrivals: heard(1, 250, 20_000), subscribeAt: 0, untilMs: 60_000 },
    'subscribed off the grid, devices on and off it': {
      arrivals: [...heard(1, 100, 15_000), ...heard(2, 1_000, 40_000, 1_000), ...heard(3, 5_333, 9_000, 700)],
      subscribeAt: 437,
      untilMs: 70_000,
    },
    'lost and back, renamed': {
      arrivals: [...heard(4, 0, 6_000), ...heard(4, 30_000, 45_000, 1_500, 'XDJ-XZ'), ...heard(5, 12_000, 13_000)],
      subscribeAt: 0,
      untilMs: 80_000,
    },
    'a silence exactly lostAfterMs long, on the grid': { arrivals: [{ at: 2_000, device: 1 }, { at: 12_000, device: 1 }, { at: 22_000, device: 1 }], subscribeAt: 0, untilMs: 40_000 },
    'short timings': { arrivals: [...heard(1, 10, 300, 40), ...heard(2, 35, 500, 55)], subscribeAt: 3, untilMs: 2_000, lostAfterMs: 120, checkEveryMs: 25 },
  };

  for (const [name, s] of Object.entries(scenarios)) {
    it(`loses devices at the ticks a check every tick would: ${name}`, () => {
      const lazy = run(s.arrivals, s.subscribeAt, s.untilMs, 'lazy', s.lostAfterMs, s.checkEveryMs);
      const reference = run(s.arrivals, s.subscribeAt, s.untilMs, 'every-tick', s.lostAfterMs, s.checkEveryMs);
      expect(lazy.changes).toEqual(reference.changes);
      expect(lazy.changes.some((c) => c.includes(' lost '))).toBe(true);
      expect(lazy.wakeUps).toBeLessThan(reference.wakeUps / 4);
    });
  }

  it('sets no timer while no device is known', () => {
    expect(run([], 0, 60_000, 'lazy').wakeUps).toBe(0);
  });

  it('wakes about once per silence it waits for while devices are heard', () => {
    // Heard every 1.5 s for a minute: the check runs when the oldest could be lost, finds it heard again, and waits again.
    const { changes, wakeUps } = run(heard(1, 10, 60_000), 0, 60_000, 'lazy');
    expect(changes).toEqual(['10 appeared #1 CDJ-3000']);
    expect(wakeUps).toBeLessThanOrEqual(7);
  });
});
