/**
 * What the dashboard keeps while no page is open: facts that arrive once and
 * are not sent again (which devices are on the network, each deck's album
 * art, what the targets reported). These come a few times a minute at most;
 * the per-packet work (decks, beats, snapshots) runs only while a page is
 * connected (dashboard-feed.ts).
 */
import type { Observable } from 'rxjs';
import { Subscription } from '../rx';
import type { Activity } from '../app/bridge';
import type { DeviceChange, DeviceInfo } from '../streams/devices';
import type { MetadataOutput } from '../streams/metadata-transfers';
import { tallyReport, type TargetTally } from './target-health';

export type Artwork = Extract<MetadataOutput, { kind: 'artwork' }>;

export interface MemorySources {
  readonly devices: Observable<DeviceChange>;
  readonly artwork: Observable<Artwork>;
  readonly activity: Observable<Activity>;
  readonly now: () => number;
}

/** The largest art kept per deck; anything bigger is not an album cover. */
export const MAX_ART_BYTES = 512 * 1024;

export class DashboardMemory {
  private deviceMap = new Map<number, DeviceInfo>();
  private readonly art = new Map<number, { readonly trackId: number; readonly jpeg: Buffer }>();
  private talliesNow: ReadonlyMap<string, TargetTally> = new Map();
  private readonly subscription = new Subscription();

  constructor(sources: MemorySources) {
    this.subscription.add(sources.devices.subscribe((change) => this.device(change)));
    this.subscription.add(
      sources.artwork.subscribe((a) => {
        if (a.jpeg.length <= MAX_ART_BYTES) this.art.set(a.deck, { trackId: a.trackId, jpeg: a.jpeg });
      }),
    );
    this.subscription.add(
      sources.activity.subscribe((a) => {
        if (a.kind === 'report') this.talliesNow = tallyReport(this.talliesNow, a.report, sources.now());
      }),
    );
  }

  get devices(): DeviceInfo[] {
    return [...this.deviceMap.values()].sort((a, b) => a.device - b.device);
  }

  get tallies(): ReadonlyMap<string, TargetTally> {
    return this.talliesNow;
  }

  /** The track whose art each deck has. */
  artTracks(): Map<number, number> {
    return new Map([...this.art].map(([deck, a]) => [deck, a.trackId]));
  }

  /** The deck's art when it is for this track. */
  artFor(deck: number, trackId: number): Buffer | null {
    const a = this.art.get(deck);
    return a !== undefined && a.trackId === trackId ? a.jpeg : null;
  }

  close(): void {
    this.subscription.unsubscribe();
  }

  private device(change: DeviceChange): void {
    const next = new Map(this.deviceMap);
    if (change.type === 'lost') next.delete(change.device.device);
    else next.set(change.device.device, change.device);
    this.deviceMap = next;
  }
}
