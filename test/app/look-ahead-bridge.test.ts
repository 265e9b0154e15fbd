/**
 * Look-ahead rules in a running bridge on the in-process simulator: an
 * OPUS-QUAD set (estimated beats) and a CDJ pair (real beat packets). Every
 * beat of the master fires the lead rule once, ahead of the beat.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBridge, type RunningBridge } from '../../src/app/bridge';
import { openSimLink } from '../../src/app/sim-link';
import { monotonicMs } from '../../src/app/link';
import { createLogger } from '../../src/log/logger';
import { MidiError } from '../../src/outputs/midi/midi-errors';

const LEAD_MS = 120;
const MAPPING = `targets:
  show: { osc: { host: 127.0.0.1, port: 9 } }
rules:
  - { name: early, on: beat, lead: ${LEAD_MS}ms, when: { deck: master }, send: [{ osc: { to: show, address: /early } }] }
  - { name: plain, on: beat, when: { deck: master }, send: [{ osc: { to: show, address: /plain } }] }
`;

interface Seen {
  readonly deck: number;
  readonly beat: number | null;
  readonly at: number;
  readonly firedAt: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

describe('look-ahead in the running bridge', () => {
  let bridge: RunningBridge | null = null;
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lead-'));
    fs.writeFileSync(path.join(dir, 'show.yaml'), MAPPING);
  });
  afterEach(async () => {
    await bridge?.stop();
    bridge = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // How many master beats to watch, and from which one the beat's instant is compared: the OPUS estimate from
  // four bars in (it still moves by 20–25 ms two bars in), CDJ beat packets from two bars in.
  it.each([
    ['club', 'estimated beats of an OPUS-QUAD', 28, 16],
    ['cdj-pair', 'real beat packets of a CDJ', 20, 8],
  ])('fires each master beat once, %s ahead of it (%s)', async (scenario, _what, watchBeats, convergedFrom) => {
    const sim = await openSimLink(scenario);
    if (typeof sim === 'string') throw new Error(sim);
    const started = await startBridge({
      link: sim.link,
      mode: 'auto',
      mappingPaths: [path.join(dir, 'show.yaml')],
      watchMappings: false,
      logger: createLogger({ level: 'warn', destination: fs.createWriteStream('/dev/null') }),
      openMidi: () => ({ ok: false, error: new MidiError('midi-unavailable', 'not used') }),
    });
    if (!started.ok) throw new Error(started.message);
    bridge = started.bridge;
    const early: Seen[] = [];
    const plain: Seen[] = [];
    bridge.activity.subscribe((a) => {
      if (a.kind !== 'fired' || a.event.type !== 'beat') return;
      (a.rule === 'early' ? early : plain).push({ deck: a.event.deck, beat: a.event.beat, at: a.event.at, firedAt: monotonicMs() });
    });
    // CDJs send their status to players only: the bridge first joins as one (a few seconds).
    const deadline = Date.now() + 28_000;
    while (plain.length < watchBeats && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

    // Past the first beats after play (the grid settles), every beat the master played fired the lead rule once.
    const settled = plain.slice(3);
    expect(settled.length).toBeGreaterThan(6);
    const beats = early.map((e) => e.beat);
    expect(new Set(beats).size).toBe(beats.length);
    let wentAhead = 0;
    for (const p of settled) {
      const match = early.filter((e) => e.beat === p.beat);
      expect(match).toHaveLength(1);
      const e = match[0] as Seen;
      if (e.firedAt < p.firedAt) wentAhead++;
      else expect(e.firedAt - p.firedAt).toBeLessThan(50); // not predicted in time: fired on the beat itself
    }
    // Nearly all ahead of the beat (a re-anchoring grid may leave one to fire on arrival), on time, on the beat's instant.
    expect(wentAhead).toBeGreaterThanOrEqual(settled.length - 1);
    const ahead = early.filter((e) => e.firedAt < e.at);
    // Once the estimate has converged, a beat fired ahead is on the instant the beat
    // itself then has. (In the first seconds after play an OPUS grid rests on a few status packets
    // and honestly moves by tens of ms, two or three bars in still by up to ~25 ms; its beats say so with `late`.)
    // Compared with the instant the simulated deck really reached the beat (its truth, on performance.now(),
    // moved onto the bridge's clock), not with the beat packet's arrival: a busy machine may deliver one late.
    const converged = plain.slice(convergedFrom);
    expect(converged.length).toBeGreaterThan(6);
    const shift = monotonicMs() - performance.now();
    let compared = 0;
    for (const e of ahead) {
      if (!converged.some((x) => x.beat === e.beat && x.deck === e.deck)) continue;
      const truth = sim.simulator.truth.beats(e.deck, e.at - shift - 250, e.at - shift + 250).find((b) => b.beat === e.beat);
      expect(truth).toBeDefined();
      expect(Math.abs(e.at - ((truth?.at ?? NaN) + shift))).toBeLessThan(20);
      compared++;
    }
    expect(compared).toBeGreaterThan(4);
    expect(median(ahead.map((e) => Math.abs(e.firedAt - (e.at - LEAD_MS))))).toBeLessThan(5);
    // The bridge counts a firing as ahead on its own clock reading; this test reads the clock a moment later,
    // so a firing within a fraction of a millisecond of its beat may fall on either side here.
    expect(Math.abs(bridge.lookAhead.ahead - ahead.length)).toBeLessThanOrEqual(1);
  }, 40_000);
});
