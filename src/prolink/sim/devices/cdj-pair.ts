/**
 * Two CDJ-2000NXS2-like players (numbers 2 and 3) and a DJM mixer (33): the
 * rig of the dysentery and NightClubMare captures. The players' channels are
 * on air while they play; the mixer relays the master's tempo. The players
 * can be CDJ-3000-like instead (`players`).
 */
import { SimDeck } from '../deck/deck';
import type { SimTrack } from '../deck/track';
import type { Random } from '../random';
import { VirtualCdj } from './cdj-player';
import { PLAYER_MODELS, type PlayerModelName } from './player-models';
import type { EventSink, HostIdentity, SimDevice } from './device';
import { VirtualDjm } from './djm-mixer';
import { MasterControl } from './master-control';
import { DeckCommands, type SimRig } from './rig';

export const PAIR_PLAYERS: readonly number[] = [2, 3];

export interface CdjPairOptions {
  readonly hosts: { readonly players: ReadonlyMap<number, HostIdentity>; readonly mixer: HostIdentity };
  readonly events: EventSink;
  readonly random: Random;
  readonly now: number;
  readonly statusMs?: number;
  readonly keepAliveMs?: number;
  readonly mixerBeats?: boolean;
  readonly handoffMs?: number;
  /** The players' model; default nxs2. */
  readonly players?: PlayerModelName;
}

export class CdjPairRig implements SimRig {
  readonly kind = 'cdj-pair';
  readonly devices: readonly SimDevice[];
  readonly decks: ReadonlyMap<number, SimDeck>;
  readonly master: MasterControl;
  readonly commands: DeckCommands;

  constructor(o: CdjPairOptions) {
    const decks = new Map(PAIR_PLAYERS.map((n) => [n, new SimDeck(n, o.now)]));
    this.decks = decks;
    this.master = new MasterControl('players', o.events, o.handoffMs);
    const model = o.players ?? 'nxs2';
    const label = (n: number): string => `${PLAYER_MODELS[model].name} #${n}`;
    this.commands = new DeckCommands(label, decks, this.master, o.events, () => undefined);
    const playing = (n: number, now: number): boolean => decks.get(n)?.playingAt(now) === true;
    const players = PAIR_PLAYERS.map((n) => {
      const host = o.hosts.players.get(n);
      if (host === undefined) throw new RangeError(`no host given for player ${n}`);
      const common = { host, events: o.events, random: o.random, now: o.now, deck: decks.get(n) as SimDeck, master: this.master, onAir: (now: number) => playing(n, now), model };
      return new VirtualCdj({ ...common, ...(o.statusMs === undefined ? {} : { statusMs: o.statusMs }), ...(o.keepAliveMs === undefined ? {} : { keepAliveMs: o.keepAliveMs }) });
    });
    const mixer = new VirtualDjm({
      host: o.hosts.mixer,
      events: o.events,
      random: o.random,
      now: o.now,
      master: this.master,
      metronome: o.mixerBeats ?? true,
      channels: (now) => [1, 2, 3, 4].map((ch) => playing(ch, now)),
      masterBpm: (now) => {
        const master = this.master.masterAt(now);
        const state = master === null ? null : (decks.get(master)?.stateAt(now) ?? null);
        return state !== null && state.playing ? state.effectiveBpm : null;
      },
    });
    this.devices = [...players, mixer];
  }

  restart(): boolean {
    return false;
  }
}
