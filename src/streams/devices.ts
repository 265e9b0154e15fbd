/**
 * Who is on the network, from keep-alives (§2.1). A device appears with its
 * first keep-alive, changes when its name, address or type changes, and is
 * lost after lostAfterMs without one (peers time out after about 10 s).
 */
import { interval, map, merge, type Observable, type SchedulerLike } from 'rxjs';
import type { KeepAlive } from '../prolink/packets/keep-alive';
import type { Received } from './received';
import { withState } from './with-state';

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

type Input = { readonly keepAlive: Received<KeepAlive> } | { readonly tick: number };

function infoOf({ packet, address, at }: Received<KeepAlive>): DeviceInfo {
  return { device: packet.device, name: packet.name, address, mac: packet.mac, type: packet.deviceType, isOpus: packet.isOpus, lastSeen: at };
}

export function trackDevices(keepAlives: Observable<Received<KeepAlive>>, scheduler: SchedulerLike, options: DeviceTrackingOptions = {}): Observable<DeviceChange> {
  const lostAfterMs = options.lostAfterMs ?? 10_000;
  const ticks = interval(options.checkEveryMs ?? 1000, scheduler).pipe(map((): Input => ({ tick: scheduler.now() })));
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
        const info = infoOf(input.keepAlive);
        const known = devices.get(info.device);
        devices.set(info.device, info);
        if (known === undefined) emit({ type: 'appeared', device: info, at: info.lastSeen });
        else if (known.name !== info.name || known.address !== info.address || known.type !== info.type || known.mac !== info.mac) emit({ type: 'changed', device: info, at: info.lastSeen });
      },
    ),
  );
}
