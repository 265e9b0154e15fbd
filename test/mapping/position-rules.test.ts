/**
 * deck.timecode, deck.positionMs and rules on position: the timeline the
 * timecode outputs send, read by OSC templates and sent over real UDP, and
 * the per-deck throttle of position rules.
 */
import * as dgram from 'node:dgram';
import * as osc from 'osc';
import { runEvent, initialMemory, type EngineMemory, type OutputCommand } from '../../src/mapping/engine';
import type { BridgeEvent, PositionEvent } from '../../src/events/bridge-event';
import type { DeckState } from '../../src/events/deck-state';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping';
import { OscUdpTarget } from '../../src/outputs/osc/osc-udp-target';
import { RateLimitedReporter } from '../../src/outputs/reporter';
import { DEFAULT_TIMELINE, deckPositionAt, type TimelineSettings } from '../../src/timing/deck-position';
import type { BeatGrid } from '../../src/timing/beat-grid';
import type { PreciseSample } from '../../src/timing/track-timeline';
import { positionIntervalMs } from '../../src/app/position-sampling';
import { compileErrors, compileYaml, deck, world } from './engine-support';
import { until } from '../support/until';

/** Deck 1 at 120 BPM: beat 1 at t = 10 000 ms, so beat n is (n − 1) × 500 ms into the track. */
const GRID: BeatGrid = { at: 10_000, playing: true, position: 1, bpm: 120, barOffset: 1, uncertaintyMs: 2 };

function positionWorld(decks: DeckState[], settings: TimelineSettings, precise: PreciseSample | null = null, master: number | null = null) {
  const inputs = { grid: (d: number) => (d === 1 ? GRID : null), precise: (d: number) => (d === 1 ? precise : null) };
  return { ...world(decks, master), positionOf: (state: DeckState, at: number) => deckPositionAt(settings, inputs, state, at) };
}

function beatAt(at: number, beat: number): BridgeEvent {
  return { type: 'beat', at, deck: 1, beat, beatInBar: ((beat - 1) % 4) + 1, effectiveBpm: 120, estimated: true, late: false, coasting: false };
}

function position(deckNumber: number, at: number): PositionEvent {
  return { type: 'position', at, deck: deckNumber, positionMs: at, timelineMs: at, timecode: '00:00:00:00', rate: 25, beat: null, effectiveBpm: 120, estimated: true };
}

function run(mapping: CompiledMapping, events: BridgeEvent[], w = world([deck(1), deck(2)])): OutputCommand[] {
  let memory: EngineMemory = initialMemory(mapping);
  const out: OutputCommand[] = [];
  for (const e of events) {
    const r = runEvent(mapping, e, w, memory);
    memory = r.memory;
    out.push(...r.commands);
  }
  return out;
}

describe('deck.timecode and deck.positionMs', () => {
  const rule = `  - on: beat
    send:
      - osc: { to: resolume, address: /tc, args: ["{{ deck.timecode }}", { int: "{{ deck.positionMs }}" }, "{{ master.timecode }}"] }
`;

  it('renders the timeline into an OSC message that arrives over UDP as the osc library decodes it', async () => {
    const receiver = dgram.createSocket('udp4');
    const received: { address: string; args: unknown[] }[] = [];
    receiver.on('message', (data) => received.push(osc.readPacket(new Uint8Array(data), { metadata: false }) as { address: string; args: unknown[] }));
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
    const target = new OscUdpTarget({ name: 'resolume', host: '127.0.0.1', port: receiver.address().port, reporter: new RateLimitedReporter(() => undefined) });
    // Track 184 starts at 01:00:00:00; beat 129 is 64 s into the track: 01:01:04:00 at 25 fps.
    const w = positionWorld([deck(1, { bpm: 120, effectiveBpm: 120 })], { rate: 25, offsets: { '184': '01:00:00:00' }, defaultOffset: 0 });
    const commands = run(compileYaml(rule), [beatAt(10_000 + 128 * 500, 129), beatAt(10_000 + 128 * 500 + 520, 130)], w);
    for (const c of commands) if (c.kind === 'osc') target.send({ address: c.address, args: c.args });
    await until(() => received.length === 2);
    expect(received).toEqual([
      // No master deck: master.timecode is null, which a string argument sends as ''.
      { address: '/tc', args: ['01:01:04:00', 64_000, ''] },
      // 520 ms later: frame 13 of second 4 (a frame is 40 ms).
      { address: '/tc', args: ['01:01:04:13', 64_520, ''] },
    ]);
    await target.close();
    receiver.close();
  });

  it('reads a fresh precise position before the grid, at the rate of the timeline (29.97 drop-frame)', () => {
    const w = positionWorld([deck(1, { master: true })], { rate: 29.97, offsets: {}, defaultOffset: '00:10:00;00' }, { at: 20_000, ms: 90_000 }, 1);
    const [c] = run(compileYaml(rule), [beatAt(20_100, 21)], w);
    // 10 min + 90.1 s = 00:11:30 and 0.1 s (frame 2 at 29.97; drop-frame labels use ';').
    expect(c).toMatchObject({ args: [{ type: 'string', value: '00:11:30;02' }, { type: 'int', value: 90_100 }, { type: 'string', value: '00:11:30;02' }] });
  });

  it('reads null without a track or without a position source', () => {
    const nullable = compileYaml(`  - on: beat
    send:
      - ws: { to: dash, message: { tc: "{{ deck.timecode }}", ms: "{{ deck.positionMs }}", known: "{{ deck.timecode != null }}" } }
`);
    const settings = { rate: 25, offsets: {}, defaultOffset: 0 };
    const messages = (w: ReturnType<typeof world>): unknown[] => run(nullable, [beatAt(10_500, 2)], w).map((c) => (c.kind === 'ws' ? c.message : null));
    expect(messages(positionWorld([deck(1, { trackId: null })], settings))).toEqual([{ tc: null, ms: null, known: false }]);
    expect(messages(world([deck(1)]))).toEqual([{ tc: null, ms: null, known: false }]);
    expect(messages(positionWorld([deck(1, { bpm: 120 })], settings))).toEqual([{ tc: '00:00:00:12', ms: 500, known: true }]);
  });

  it('is type-checked at load time: an unknown deck field is an error with file:line:col', () => {
    expect(compileErrors(`  - on: beat
    send:
      - osc: { to: resolume, address: /tc, args: ["{{ deck.timecodes }}"] }
`)).toEqual([expect.stringMatching(/^show\.yaml:9:\d+ rules\[0\]\.send\[0\]\.osc\.args\[0\]: .*unknown field "timecodes" of deck.*did you mean "timecode"/)]);
  });
});

describe('rules on position', () => {
  const rule = (extra: string): string => `  - on: position
${extra}    send:
      - ws: { to: dash, message: { deck: "{{ event.deck }}", tc: "{{ event.timecode }}" } }
`;

  it('fire at most every 100 ms per deck without a throttle', () => {
    const m = compileYaml(rule(''));
    const events = [position(1, 0), position(2, 0), position(1, 50), position(2, 60), position(1, 100), position(2, 100), position(1, 150), position(1, 200)];
    expect(run(m, events).map((c) => (c.kind === 'ws' ? `${String(c.message['deck'])}@` : ''))).toEqual(['1@', '2@', '1@', '2@', '1@']);
    expect(positionIntervalMs(m)).toBe(100);
  });

  it('fire at most once per throttle per deck: one deck never takes the other turns', () => {
    const m = compileYaml(rule('    throttle: 40ms\n'));
    const events = [0, 20, 40, 60, 80].flatMap((t) => [position(1, t), position(2, t + 1)]);
    const fired = run(m, events).map((c) => (c.kind === 'ws' ? String(c.message['deck']) : ''));
    expect(fired).toEqual(['1', '2', '1', '2', '1', '2']);
    expect(positionIntervalMs(m)).toBe(40);
  });

  it('sample at the shortest throttle of the rules on position, and not at all without one', () => {
    expect(positionIntervalMs(compileYaml(rule('    throttle: 250ms\n') + rule('    throttle: 1s\n')))).toBe(250);
    expect(positionIntervalMs(compileYaml(`  - on: beat\n    send: [{ osc: { to: resolume, address: /b } }]\n`))).toBeNull();
  });

  it('do not take every: an error with file:line:col', () => {
    expect(compileErrors(rule('    every: 2\n'))).toEqual([
      'show.yaml:8:5 rules[0].every: every only applies to beat, downbeat, bar, phrase.start, phrase.end, phrase.fill (this rule is on position)',
    ]);
  });
});

describe('positions are worked out only for rules that read them', () => {
  it('flags the rules whose conditions or actions read a deck position; those still read live positions, once per event', () => {
    const m = compileYaml(`
  - { name: plain, on: beat, send: [{ osc: { to: resolume, address: "/deck/{{ deck.number }}", args: [{ int: "{{ event.beat }}" }] } }] }
  - { name: event position, on: beat, send: [{ osc: { to: resolume, address: /e, args: ["{{ event.type }}"] } }] }
  - { name: timecode, on: beat, when: { deck: 2 }, send: [{ osc: { to: resolume, address: /tc, args: ["{{ master.timecode }}"] } }] }
  - { name: in condition, on: beat, when: { expr: "deck.positionMs > 1000" }, send: [{ midi: { to: desk, cc: 1, value: 2 } }] }
`);
    expect(m.rules.map((r) => [r.name, r.readsPositions])).toEqual([
      ['plain', false],
      ['event position', false],
      ['timecode', true],
      ['in condition', true],
    ]);
    const plainOnly = compileYaml(`  - { name: plain, on: beat, send: [{ osc: { to: resolume, address: "/deck/{{ deck.number }}" } }] }`);
    let asked = 0;
    const counting = {
      ...world([deck(1, { master: true }), deck(2)], 1),
      positionOf: (state: DeckState, at: number) => {
        asked++;
        return deckPositionAt(DEFAULT_TIMELINE, { grid: () => GRID, precise: () => null }, state, at);
      },
    };
    expect(run(plainOnly, [beatAt(10_000, 1), beatAt(10_500, 2)], counting)).toHaveLength(2);
    expect(asked).toBe(0);
    // Deck 1's beats: the condition reads deck 1's position (once per event, however many reads); deck 2 runs no position rule here.
    const commands = run(m, [beatAt(10_000, 1), beatAt(12_000, 5)], counting);
    expect(asked).toBe(2);
    expect(commands.map((c) => (c.kind === 'osc' ? c.address : c.kind))).toEqual(['/deck/1', '/e', '/deck/1', '/e', 'midi-cc']);
  });
});
