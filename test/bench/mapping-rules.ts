/**
 * A large show mapping for the mapping benchmark, written as YAML text so it
 * goes through the real loader and compiler. The mix follows the shipped
 * examples: beat, downbeat and bar rules per deck and for the master with
 * beatInBar, bpm and phrase conditions, some `expr:` conditions, OSC actions
 * with templated typed arguments, MIDI notes/CC/programs, throttled tempo
 * rules and phrase, play, on-air, master and track rules. The last rule is
 * the latency probe: it answers every tempo change with one OSC message that
 * names the deck and the raw BPM value, so a receiver can match it to the
 * status packet that caused it.
 */
import { seededRandom, type Random } from '../../src/timing/sim/prng';

export const PROBE_ADDRESS = '/bench/probe';
/** The OSC targets of the mapping (lights, video, probe), each a socket of its own in the bridge. */
export const BENCH_OSC_TARGETS = 3;

export interface BenchTargets {
  /** UDP port every OSC target sends to (on 127.0.0.1). */
  readonly oscPort: number;
  /** Name of the MIDI output the desk target opens. */
  readonly midiPort: string;
}

const PHRASE_CHOICES: readonly (readonly string[])[] = [['chorus'], ['chorus', 'up'], ['verse'], ['intro', 'outro'], ['bridge'], ['down'], ['verse1', 'verse2']];

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function deckOf(random: Random): number {
  return 1 + Math.floor(random() * 4);
}

/** One rule's YAML (list item, two-space indent), by its position in the 20-rule pattern. */
function ruleYaml(i: number, random: Random): string {
  const n = i + 1;
  const d = deckOf(random);
  const b = 1 + Math.floor(random() * 4);
  const phrases = `[${pick(random, PHRASE_CHOICES).join(', ')}]`;
  switch (i % 20) {
    case 0:
    case 1:
    case 2:
    case 3:
      return `  - name: chase ${n}
    on: beat
    when: { deck: ${d}, beatInBar: ${b} }
    send:
      - osc: { to: lights, address: "/fixture/{{ deck.number }}/chase/${n}", args: [{ int: "{{ event.beatInBar ?? 0 }}" }, { float: "{{ scaleClamped(event.effectiveBpm ?? 120, 60, 180, 0, 1) }}" }] }`;
    case 4:
    case 5:
      return `  - name: master beat ${n}
    on: beat
    when: { deck: master }
    send:
      - osc: { to: video, address: /layer/${n}/beat, args: [{ int: "{{ event.beat ?? 0 }}" }, { float: "{{ (event.beatInBar ?? 1) / 4 }}" }] }`;
    case 6:
      return `  - name: downbeat cue ${n}
    on: downbeat
    when: { deck: ${d}, phrase: ${phrases} }
    send:
      - osc: { to: lights, address: /cue/${n}/go, args: [{ string: "{{ phrase.label }}" }, { int: ${n} }] }`;
    case 7:
      return `  - name: bars ${n}
    on: bar
    every: ${pick(random, [2, 4, 8])}
    when: { deck: master, bpm: { min: ${100 + (n % 20)}, max: 150 } }
    send:
      - osc: { to: video, address: /composition/bar/${n}, args: [{ int: "{{ event.bar ?? 0 }}" }, { float: "{{ round(master.effectiveBpm ?? 0, 2) }}" }] }`;
    case 8:
      return `  - name: chorus kick ${n}
    on: beat
    when: { deck: ${d}, expr: "deck.effectiveBpm > 124 && phrase.family == 'chorus'" }
    send:
      - midi: { to: desk, channel: ${1 + (n % 16)}, note: "{{ 35 + (event.beatInBar ?? 1) }}", velocity: 100, duration: 50ms }`;
    case 9:
      return `  - name: four-bar fader ${n}
    on: downbeat
    when: { expr: "deck.bar % 4 == 1 and deck.onAir" }
    send:
      - midi: { to: desk, channel: ${1 + (n % 16)}, cc: ${n % 120}, value: "{{ round(scaleClamped(deck.effectiveBpm ?? 120, 100, 160, 0, 127)) }}" }`;
    case 10:
      return `  - name: long phrase fx ${n}
    on: beat
    when: { deck: ${d}, beatInBar: [2, 4], expr: "phrase.bars >= 8 or deck.pitchPercent > 2" }
    send:
      - osc: { to: lights, address: /fx/${n}, args: ["{{ phrase.kind ?? 'none' }}", { bool: "{{ deck.master }}" }] }`;
    case 11:
      return `  - name: master downbeat ${n}
    on: beat
    when: { expr: "event.beatInBar == 1 && master.number == event.deck && (phrase.index ?? 0) % 2 == ${n % 2}" }
    send:
      - osc: { to: video, address: "/master/{{ event.deck }}/bar", args: [{ int: "{{ event.bar ?? 0 }}" }, "{{ phrase.label ?? '' }}"] }`;
    case 12:
      return `  - name: tempo ${n}
    on: tempo
    when: { deck: master }
    throttle: 50ms
    send:
      - osc: { to: video, address: /composition/tempocontroller/tempo/${n}, args: [{ float: "{{ scaleClamped(event.effectiveBpm ?? 120, 20, 500, 0, 1) }}" }] }`;
    case 13:
      return `  - name: deck tempo ${n}
    on: tempo
    when: { deck: ${d} }
    throttle: 100ms
    send:
      - osc: { to: lights, address: "/deck/{{ deck.number }}/bpm/${n}", args: [{ float: "{{ round(event.effectiveBpm ?? 0, 2) }}" }] }`;
    case 14:
    case 15:
      return `  - name: phrase clip ${n}
    on: phrase.start
    when: { deck: ${pick(random, ['master', String(d)])}, phrase: ${phrases} }
    send:
      - osc: { to: video, address: "/layer/2/clips/{{ clamp(phrase.index, 1, 8) }}/connect", args: [1] }
      - midi: { to: desk, channel: 10, note: ${36 + (n % 40)}, velocity: 127, duration: 100ms }`;
    case 16:
      return `  - name: phrase ${n % 40 < 20 ? 'fill' : 'end'} ${n}
    on: ${n % 40 < 20 ? 'phrase.fill' : 'phrase.end'}
    when: { deck: master }
    send:
      - osc: { to: lights, address: /strobe/${n}, args: [{ float: "{{ phrase.bars / 16 }}" }] }`;
    case 17:
      return `  - name: transport ${n}
    on: ${n % 40 < 20 ? 'play' : 'stop'}
    send:
      - osc: { to: lights, address: "/deck/{{ deck.number }}/play", args: [{ bool: "{{ deck.playing }}" }] }`;
    case 18:
      return n % 40 < 20
        ? `  - name: air ${n}
    on: onair
    when: { deck: ${d} }
    send:
      - midi: { to: desk, program: ${n % 128} }`
        : `  - name: master ${n}
    on: master.change
    send:
      - osc: { to: video, address: /master, args: [{ int: "{{ event.deck ?? 0 }}" }, { float: "{{ event.effectiveBpm ?? 0 }}" }] }`;
    default:
      return `  - name: track ${n}
    on: track.load
    when: { deck: ${d} }
    send:
      - osc: { to: lights, address: "/deck/{{ deck.number }}/track", args: [{ int: "{{ event.trackId ?? 0 }}" }] }`;
  }
}

/** The mapping file: `count - 1` generated rules, then the latency probe. */
export function benchMappingYaml(targets: BenchTargets, count = 500, seed = 2024): string {
  const random = seededRandom(seed);
  const rules = Array.from({ length: count - 1 }, (_, i) => ruleYaml(i, random));
  rules.push(`  - name: latency probe
    on: tempo
    send:
      - osc: { to: probe, address: ${PROBE_ADDRESS}, args: [{ int: "{{ event.deck }}" }, { int: "{{ round((event.effectiveBpm ?? 0) * 100) }}" }] }`);
  return `version: 1
targets:
  lights: { osc: { host: 127.0.0.1, port: ${targets.oscPort} } }
  video: { osc: { host: 127.0.0.1, port: ${targets.oscPort} } }
  probe: { osc: { host: 127.0.0.1, port: ${targets.oscPort} } }
  desk: { midi: { port: ${targets.midiPort} } }
rules:
${rules.join('\n')}
`;
}

/** Only the latency probe: the same pipeline with the smallest possible mapping. */
export function probeOnlyYaml(targets: BenchTargets): string {
  return benchMappingYaml(targets, 1);
}
