/**
 * Who is on the network, from keep-alives (§2.1). A device appears with its
 * first keep-alive, changes when its name, address or type changes, and is
 * lost after lostAfterMs without one (peers time out after about 10 s).
 */
import type { SchedulerLike, Subscription } from 'rxjs';
import { Observable } from '../rx';
import type { KeepAlive } from '../prolink/packets/keep-alive';
import type { Received } from './received';

export interface DeviceInfo {
  readonly device: number;
  readonly name: string;
  readonly address: string;
  readonly mac: string;
  readonly type: string;
  readonly isOpus: boolean;
  readonly lastSeen: number;
}

export interface DeviceChange {
  readonly type: 'appeared' | 'changed' | 'lost';
  readonly device: DeviceInfo;
  readonly at: number;
}

export interface DeviceTrackingOptions {
  readonly lostAfterMs?: number;
  /** How often silence is checked. */
  readonly checkEveryMs?: number;
}

function infoOf({ packet, address, at }: Received<KeepAlive>): DeviceInfo {
  return { device: packet.device, name: packet.name, address, mac: packet.mac, type: packet.deviceType, isOpus: packet.isOpus, lastSeen: at };
}

/**
 * Silence is checked on the grid `interval(checkEveryMs)` ticks on from the
 * subscription, but only at the ticks where a device can have been silent
 * for lostAfterMs (the first at or after the instant the device heard of
 * longest ago would be lost, then the next ones while it is still due): no
 * timer while no device is known, no wake-up a second while all are heard.
 * A device is lost at the same tick, with the same `at`, as a check every
 * tick would find it.
 */
export function trackDevices(keepAlives: Observable<Received<KeepAlive>>, scheduler: SchedulerLike, options: DeviceTrackingOptions = {}): Observable<DeviceChange> {
  const lostAfterMs = options.lostAfterMs ?? 10_000;
  const everyMs = options.checkEveryMs ?? 1000;
  return new Observable<DeviceChange>((subscriber) => {
    const devices = new Map<number, DeviceInfo>();
    const start = scheduler.now();
    /** Grid index of the last check that ran, and the timer of the next one (null when none is set). */
    let lastTick = 0;
    let armed: Subscription | null = null;

    const check = (k: number): void => {
      armed = null;
      lastTick = k;
      try {
        const tick = scheduler.now();
        const lost = [...devices.values()].filter((d) => tick - d.lastSeen >= lostAfterMs);
        for (const d of lost) devices.delete(d.device);
        for (const device of lost) subscriber.next({ type: 'lost', device, at: tick });
        arm();
      } catch (error: unknown) {
        subscriber.error(error);
      }
    };

    function arm(): void {
      if (armed !== null || devices.size === 0 || subscriber.closed) return;
      let oldest = Infinity;
      for (const d of devices.values()) if (d.lastSeen < oldest) oldest = d.lastSeen;
      const now = scheduler.now();
      // Not a tick that ran or is past, and not before the device heard of longest ago can be lost.
      const k = Math.max(lastTick + 1, Math.floor((now - start) / everyMs) + 1, Math.ceil((oldest + lostAfterMs - start) / everyMs));
      armed = scheduler.schedule(() => check(k), Math.max(0, start + k * everyMs - now));
    }

    const subscription = keepAlives.subscribe({
      next: (keepAlive) => {
        try {
          const info = infoOf(keepAlive);
          const known = devices.get(info.device);
          devices.set(info.device, info);
          if (known === undefined) subscriber.next({ type: 'appeared', device: info, at: info.lastSeen });
          else if (known.name !== info.name || known.address !== info.address || known.type !== info.type || known.mac !== info.mac) subscriber.next({ type: 'changed', device: info, at: info.lastSeen });
          arm();
        } catch (error: unknown) {
          subscriber.error(error);
        }
      },
      error: (error: unknown) => subscriber.error(error),
      // As with interval ticks merged in: silence is still checked (and devices lost) once the keep-alives end; the output never completes.
      complete: () => undefined,
    });
    return () => {
      subscription.unsubscribe();
      armed?.unsubscribe();
      armed = null;
    };
  });
}
