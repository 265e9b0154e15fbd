import { ArtNetTimecodeSender, HOLD_RESEND_MS, type ArtNetStopBehaviour } from '../../../src/outputs/artnet/artnet-timecode-sender';
import type { MtcRate } from '../../../src/outputs/midi/mtc-rate';
import type { TimelineSample } from '../../../src/timing/track-timeline';
import { VirtualTimers } from '../midi/virtual-timers';
import { decodeArtTimeCode, labelToFrames, realFps, type DecodedArtTimeCode } from './artnet-decode';

interface Received {
  readonly at: number;
  readonly packet: DecodedArtTimeCode;
  readonly frame: number;
}

/** A deck the test moves by hand: position at `at`, speed while playing. */
class ScriptedDeck {
  private anchorAt = 0;
  private anchorMs = 0;
  speed = 0;

  constructor(private readonly timers: VirtualTimers) {}

  sample = (now: number): TimelineSample => ({ positionMs: this.anchorMs + (now - this.anchorAt) * this.speed, speed: this.speed });

  set(positionMs: number, speed: number): void {
    this.anchorAt = this.timers.now();
    this.anchorMs = positionMs;
    this.speed = speed;
  }

  positionNow(): number {
    return this.sample(this.timers.now()).positionMs;
  }
}

function rig(rate: MtcRate, onStop: ArtNetStopBehaviour = 'hold'): { timers: VirtualTimers; deck: ScriptedDeck; got: Received[]; sender: ArtNetTimecodeSender } {
  const timers = new VirtualTimers();
  const deck = new ScriptedDeck(timers);
  const got: Received[] = [];
  const sender = new ArtNetTimecodeSender({
    timers,
    rate,
    onStop,
    sample: deck.sample,
    send: (bytes) => {
      const packet = decodeArtTimeCode(bytes);
      if (packet === null) throw new Error('the sender sent something that is not ArtTimeCode');
      got.push({ at: timers.now(), packet, frame: labelToFrames(packet) });
    },
  });
  return { timers, deck, got, sender };
}

describe('Art-Net timecode sender (virtual time)', () => {
  it.each([
    [24, 0],
    [25, 1],
    [29.97, 2],
    [30, 3],
  ] as const)('at %s fps sends one packet per frame, evenly, each naming the frame the deck is in', (rate, type) => {
    const { timers, deck, got, sender } = rig(rate);
    deck.set(3_600_000, 1); // playing from 01:00:00:00
    sender.start();
    timers.advance(10_000);
    const inLastSecond = got.filter((g) => g.at > 9_000);
    // 24, 25, 30 packets a second; 29.97 DF: 29 or 30 (30000/1001 on average).
    expect(inLastSecond.length).toBeGreaterThanOrEqual(Math.floor(realFps(type)));
    expect(inLastSecond.length).toBeLessThanOrEqual(Math.ceil(realFps(type)));
    expect(got.length).toBe(Math.floor(10_000 * realFps(type) / 1000) + 1);
    const period = 1000 / realFps(type);
    // The first packet goes out at start, inside a frame; from the second on, one per frame boundary.
    got.slice(2).forEach((g, i) => {
      const previous = got[i + 1] as Received;
      expect(g.at - previous.at).toBeCloseTo(period, 6);
      expect(g.frame).toBe(previous.frame + 1);
    });
    for (const g of got) {
      expect(g.packet.type).toBe(type);
      const trueFrame = Math.floor(((3_600_000 + g.at) * realFps(type)) / 1000 + 1e-9);
      expect(g.frame).toBe(trueFrame);
    }
    expect(sender.stats.sent).toBe(got.length);
  });

  it('follows the deck\'s pitch: at +8 % a 25 fps timeline sends 27 packets a second', () => {
    const { timers, deck, got, sender } = rig(25);
    deck.set(0, 1.08);
    sender.start();
    timers.advance(5_000);
    expect(got.filter((g) => g.at > 4_000).length).toBe(27);
    for (const g of got) expect(g.frame).toBe(Math.floor((g.at * 1.08 * 25) / 1000 + 1e-9));
  });

  it('sends a jump in the next packet, even without update(), and at once with it', () => {
    const { timers, deck, got, sender } = rig(25);
    deck.set(60_000, 1);
    sender.start();
    timers.advance(1_000);
    deck.set(120_000, 1); // a cue jump, nobody tells the sender
    const before = got.length;
    timers.advance(40);
    const next = got[before] as Received;
    expect(next.at - 1_000).toBeLessThanOrEqual(40);
    expect(next.frame).toBe(Math.floor(((120_000 + next.at - 1_000) * 25) / 1000 + 1e-9));
    // Backwards, with update(): the packet goes out at that instant.
    timers.advance(13);
    deck.set(30_000, 1);
    sender.update();
    const last = got.at(-1) as Received;
    expect(last.at).toBe(timers.now());
    expect(last.frame).toBe(750);
  });

  it('ignores a small step back (position jitter) instead of sending frames twice', () => {
    const { timers, deck, got, sender } = rig(25);
    deck.set(10_000, 1);
    sender.start();
    timers.advance(1_000);
    deck.set(deck.positionNow() - 30, 1); // 30 ms back: less than a frame
    sender.update();
    timers.advance(1_000);
    const frames = got.map((g) => g.frame);
    expect(new Set(frames).size).toBe(frames.length);
    frames.slice(1).forEach((f, i) => expect(f).toBeGreaterThan(frames[i] as number));
  });

  it('hold: the stopped frame is sent at once and again every 250 ms, a locate at once, play resumes per frame', () => {
    const { timers, deck, got, sender } = rig(30, 'hold');
    deck.set(0, 1);
    sender.start();
    timers.advance(1_000);
    deck.set(deck.positionNow(), 0);
    sender.update();
    const stoppedAt = timers.now();
    const held = (got.at(-1) as Received).frame;
    timers.advance(2_000);
    const whileStopped = got.filter((g) => g.at >= stoppedAt);
    expect(whileStopped.every((g) => g.frame === held)).toBe(true);
    expect(whileStopped.length).toBe(1 + Math.floor(2_000 / HOLD_RESEND_MS));
    deck.set(90_000, 0); // a cue while stopped
    timers.advance(40);
    expect((got.at(-1) as Received).frame).toBe(2700);
    expect(sender.stats.running).toBe(false);
    deck.set(90_000, 1);
    sender.update();
    const playAt = timers.now();
    timers.advance(1_000);
    expect(got.filter((g) => g.at === playAt).map((g) => g.frame)).toEqual([2700]);
    expect(got.filter((g) => g.at > playAt).length).toBe(30);
    expect(sender.stats.running).toBe(true);
  });

  it('stop: nothing is sent while the deck is stopped, packets resume at once when it plays', () => {
    const { timers, deck, got, sender } = rig(25, 'stop');
    deck.set(0, 1);
    sender.start();
    timers.advance(1_000);
    deck.set(deck.positionNow(), 0);
    sender.update();
    const count = got.length;
    timers.advance(3_000);
    deck.set(5_000, 0);
    timers.advance(3_000);
    expect(got.length).toBe(count);
    deck.set(5_000, 1);
    sender.update();
    expect((got.at(-1) as Received).frame).toBe(125);
    expect((got.at(-1) as Received).at).toBe(timers.now());
  });

  it('sends nothing while there is nothing to follow, and starts within a frame once there is', () => {
    const timers = new VirtualTimers();
    let sample: TimelineSample | null = null;
    const sent: Buffer[] = [];
    const sender = new ArtNetTimecodeSender({ timers, rate: 25, onStop: 'hold', sample: () => sample, send: (b) => sent.push(b) });
    sender.start();
    timers.advance(2_000);
    expect(sent).toEqual([]);
    sample = { positionMs: 0, speed: 0 };
    timers.advance(40);
    expect(sent.length).toBe(1);
    sender.stop();
    timers.advance(2_000);
    expect(sent.length).toBe(1);
    expect(timers.scheduled).toBe(0);
  });
});

/**
 * A deck read the way the bridge reads one with precise positions: a reading
 * every 30 ms (§5), extrapolated between readings (timing/track-timeline.ts),
 * each one followed by `reposition()` as the app wiring calls it. The deck
 * itself is the ScriptedDeck; `jitterMs` offsets each reading as a late or
 * early packet would.
 */
class PositionFeed {
  private reading: { at: number; ms: number; speed: number } | null = null;
  readings = 0;

  constructor(
    private readonly timers: VirtualTimers,
    private readonly deck: ScriptedDeck,
    private readonly jitterMs: (n: number) => number = () => 0,
  ) {}

  sample = (now: number): TimelineSample | null =>
    this.reading === null ? null : { positionMs: this.reading.ms + (now - this.reading.at) * this.reading.speed, speed: this.reading.speed };

  /** Reads the deck every 30 ms from `firstAt` on, calling `onReading` after each. */
  run(firstAt: number, onReading: () => void): void {
    const read = (): void => {
      const truth = this.deck.sample(this.timers.now());
      this.reading = { at: this.timers.now(), ms: truth.positionMs + this.jitterMs(this.readings++), speed: truth.speed };
      onReading();
      this.timers.setTimeout(read, 30);
    };
    this.timers.setTimeout(read, firstAt - this.timers.now());
  }
}

function fedRig(jitterMs?: (n: number) => number): { timers: VirtualTimers; deck: ScriptedDeck; got: Received[]; sender: ArtNetTimecodeSender; feed: PositionFeed; readAt: number[] } {
  const timers = new VirtualTimers();
  const deck = new ScriptedDeck(timers);
  const feed = new PositionFeed(timers, deck, jitterMs);
  const got: Received[] = [];
  const readAt: number[] = [];
  const sender = new ArtNetTimecodeSender({
    timers,
    rate: 25,
    onStop: 'hold',
    sample: feed.sample,
    send: (bytes) => {
      const packet = decodeArtTimeCode(bytes);
      if (packet === null) throw new Error('the sender sent something that is not ArtTimeCode');
      got.push({ at: timers.now(), packet, frame: labelToFrames(packet) });
    },
  });
  feed.run(7, () => {
    readAt.push(timers.now());
    sender.reposition();
  });
  return { timers, deck, got, sender, feed, readAt };
}

describe('Art-Net timecode sender fed precise positions, reposition() on each (virtual time)', () => {
  it.each([0, 5, 13, 21, 29, 34, 39])(
    'a jump (forward, then back) goes out at the first reading that shows it, not at the next frame (jump %s ms after a frame)',
    (phase) => {
      const { timers, deck, got, sender, readAt } = fedRig();
      deck.set(60_000, 1);
      sender.start();
      timers.advance(2_000 + phase);
      for (const target of [120_000, 30_000]) {
        deck.set(target, 1);
        const jumpedAt = timers.now();
        const before = got.length;
        timers.advance(200);
        const firstReading = readAt.find((t) => t > jumpedAt) as number;
        const first = got.slice(before).find((g) => Math.abs(g.frame - Math.floor(((target + g.at - jumpedAt) * 25) / 1000)) <= 1) as Received;
        expect(first.at).toBe(firstReading);
        expect(first.frame).toBe(Math.floor(((target + first.at - jumpedAt) * 25) / 1000 + 1e-9));
        // Nothing from the old timeline after the reading that showed the jump.
        expect(got.filter((g) => g.at > firstReading).every((g) => g.frame >= first.frame)).toBe(true);
        timers.advance(1_000 + phase);
      }
    },
  );

  it('steady play: readings that wobble by up to a frame leave the cadence alone, one packet per frame, no frame twice', () => {
    // ±20 ms: the spread of a loaded bridge's receive times.
    const { timers, deck, got, sender } = fedRig((n) => ((n * 7919) % 41) - 20);
    deck.set(10_000, 1);
    sender.start();
    timers.advance(10_000);
    const steady = got.filter((g) => g.at > 1_000);
    const frames = steady.map((g) => g.frame);
    expect(new Set(frames).size).toBe(frames.length);
    frames.slice(1).forEach((f, i) => expect(f).toBe((frames[i] as number) + 1));
    // 25 a second, as without reposition().
    expect(got.filter((g) => g.at > 9_000).length).toBe(25);
  });

  it('a locate while stopped goes out at the first reading that shows it', () => {
    const { timers, deck, got, sender, readAt } = fedRig();
    deck.set(10_000, 1);
    sender.start();
    timers.advance(1_000);
    deck.set(deck.positionNow(), 0);
    timers.advance(1_003);
    deck.set(90_000, 0);
    const locatedAt = timers.now();
    timers.advance(100);
    const sentAt = got.find((g) => g.frame === 2250)?.at;
    expect(sentAt).toBe(readAt.find((t) => t > locatedAt));
  });
});
