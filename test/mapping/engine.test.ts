import { runEvent, runInto, rulesFor, runRule, initialMemory, type EngineMemory, type OutputCommand } from '../../src/mapping/engine';
import type { BridgeEvent, BeatEvent } from '../../src/events/bridge-event';
import type { CompiledMapping, CompiledRule } from '../../src/mapping/compiled-mapping';
import { replayCommand, type CommandSink } from '../../src/mapping/output-commands';
import { OscArgs } from '../../src/outputs/osc/osc-args';
import type { OscArgument } from '../../src/outputs/osc/osc-message';
import type { World } from '../../src/mapping/expression-context';
import { CHORUS, VERSE2, compileErrors, compileYaml, deck, world } from './engine-support';

const beat = (n: number, b: number, deckNo = 1, at = n * 500): BeatEvent => ({ type: 'beat', at, deck: deckNo, beat: n, beatInBar: b, effectiveBpm: 128, estimated: true, late: false, coasting: false });

function fire(mapping: CompiledMapping, events: BridgeEvent[], w: World): { commands: OutputCommand[]; problems: string[]; memory: EngineMemory } {
  let memory = initialMemory(mapping);
  const commands: OutputCommand[] = [];
  const problems: string[] = [];
  for (const e of events) {
    const r = runEvent(mapping, e, w, memory);
    memory = r.memory;
    commands.push(...r.commands);
    problems.push(...r.problems.map((p) => `${p.rule}: ${p.message}`));
  }
  return { commands, problems, memory };
}

const oscAddresses = (c: OutputCommand[]): string[] => c.map((x) => (x.kind === 'osc' ? x.address : x.kind));

describe('engine: events', () => {
  const w = world([deck(1, { master: true }), deck(2)], 1);

  it('fires beat, downbeat and bar rules, with every-N on the beat and bar grid', () => {
    const m = compileYaml(`
  - { on: beat, send: [{ osc: { to: resolume, address: /beat } }] }
  - { on: beat, every: 2, send: [{ osc: { to: resolume, address: /half } }] }
  - { on: downbeat, send: [{ osc: { to: resolume, address: /down } }] }
  - { on: bar, every: 2, send: [{ osc: { to: resolume, address: /twobars } }] }
`);
    const events = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => beat(n, ((n - 1) % 4) + 1));
    expect(oscAddresses(fire(m, events, w).commands)).toEqual([
      '/beat', '/half', '/down', '/twobars', // beat 1, bar 1
      '/beat', '/beat', '/half', '/beat',
      '/beat', '/half', '/down', // beat 5, bar 2: not every 2nd bar
      '/beat', '/beat', '/half', '/beat',
      '/beat', '/half', '/down', '/twobars', // beat 9, bar 3
    ]);
  });

  it('fires phrase, track, play, air, master, tempo and device rules on their events', () => {
    const names = ['phrase.start', 'phrase.end', 'phrase.fill', 'track.load', 'track.unload', 'play', 'stop', 'onair', 'offair', 'master.change', 'tempo', 'device.appeared', 'device.lost'];
    const m = compileYaml(names.map((n) => `  - { on: ${n}, send: [{ osc: { to: resolume, address: /${n.replace('.', '/')} } }] }`).join('\n'));
    const events: BridgeEvent[] = [
      { type: 'phrase.start', at: 1, deck: 1, phrase: CHORUS, estimated: false, late: false, coasting: false, confirmed: true },
      { type: 'phrase.end', at: 2, deck: 1, phrase: CHORUS, estimated: false, late: false, coasting: false, confirmed: true },
      { type: 'phrase.fill', at: 3, deck: 1, phrase: VERSE2, estimated: false, late: false, coasting: false, confirmed: true },
      { type: 'track.load', at: 4, deck: 2, trackId: 7, previousTrackId: null, track: null },
      { type: 'track.unload', at: 5, deck: 2, trackId: 7, previousTrackId: 7, track: null },
      { type: 'play', at: 6, deck: 1 },
      { type: 'stop', at: 7, deck: 1 },
      { type: 'onair', at: 8, deck: 1 },
      { type: 'offair', at: 9, deck: 1 },
      { type: 'master.change', at: 10, deck: 2, previousDeck: 1, effectiveBpm: 128 },
      { type: 'tempo', at: 11, deck: 1, effectiveBpm: 130, previousBpm: 128 },
      { type: 'device.appeared', at: 12, deck: null, device: 9, name: 'OPUS-QUAD', address: '169.254.9.9' },
      { type: 'device.lost', at: 13, deck: null, device: 9, name: 'OPUS-QUAD', address: '169.254.9.9' },
    ];
    expect(oscAddresses(fire(m, events, w).commands)).toEqual(names.map((n) => `/${n.replace('.', '/')}`));
  });

  it('throttles per rule on event time', () => {
    const m = compileYaml(`  - { on: tempo, throttle: 100ms, send: [{ osc: { to: resolume, address: /t, args: [{ float: "{{ event.effectiveBpm }}" }] } }] }`);
    const tempo = (at: number, bpm: number): BridgeEvent => ({ type: 'tempo', at, deck: 1, effectiveBpm: bpm, previousBpm: null });
    const { commands } = fire(m, [tempo(0, 120), tempo(50, 121), tempo(99, 122), tempo(100, 123), tempo(250, 124)], w);
    expect(commands.map((c) => c.kind === 'osc' && c.args[0])).toEqual([
      { type: 'float', value: 120 },
      { type: 'float', value: 123 },
      { type: 'float', value: 124 },
    ]);
  });

  it('keeps throttle times and every-N counts per rule, only for the rules that have them, without touching the memory it was given', () => {
    const m = compileYaml(`
  - { on: phrase.start, send: [{ osc: { to: resolume, address: /plain } }] }
  - { on: phrase.start, throttle: 100ms, send: [{ osc: { to: resolume, address: /slow } }] }
  - { on: phrase.start, every: 2, send: [{ osc: { to: resolume, address: /second } }] }
  - { on: phrase.start, every: 3, throttle: 20ms, send: [{ osc: { to: resolume, address: /both } }] }
  - { on: phrase.start, throttle: 30ms, send: [{ osc: { to: resolume, address: /fast } }] }
`);
    expect(m.rules.map((r) => r.memorySlot)).toEqual([null, 0, 1, 2, 3]);
    const first = initialMemory(m);
    expect(first.lastFired).toHaveLength(4);
    const start = (at: number): BridgeEvent => ({ type: 'phrase.start', at, deck: 1, phrase: CHORUS, estimated: false, late: false, coasting: false, confirmed: true });
    const at0 = runEvent(m, start(0), w, first);
    expect(oscAddresses([...at0.commands])).toEqual(['/plain', '/slow', '/second', '/both', '/fast']);
    expect(first).toEqual(initialMemory(m)); // the pass copied, not changed, the memory it was given
    const { commands } = fire(m, [0, 10, 40, 60, 110].map(start), w);
    expect(oscAddresses(commands)).toEqual([
      '/plain', '/slow', '/second', '/both', '/fast', // 0: first match of each
      '/plain', // 10
      '/plain', '/second', '/fast', // 40: /second's 3rd match; /both fires on matches 1, 4, 7…
      '/plain', '/both', // 60: /both's 4th match, 60 ms after it last fired; /fast only 20 ms after 40
      '/plain', '/slow', '/second', '/fast', // 110
    ]);
    // A caller that owns its memory (the mapping runtime) lets runs update it in place: the same firings, no copies.
    let owned = initialMemory(m);
    const mine = owned;
    const inPlace: OutputCommand[] = [];
    for (const at of [0, 10, 40, 60, 110]) {
      const r = runEvent(m, start(at), w, owned, { memoryOwned: true });
      inPlace.push(...r.commands);
      owned = r.memory;
    }
    expect(oscAddresses(inPlace)).toEqual(oscAddresses(commands));
    expect(owned).toBe(mine);
    expect(mine.lastFired).toEqual([110, -Infinity, 60, 110]);
    expect(mine.matches).toEqual([0, 5, 5, 0]);
  });
});

describe('engine: conditions', () => {
  const w = world([deck(1, { master: true, phrase: CHORUS, effectiveBpm: 126 }), deck(2, { onAir: false, playing: false, phrase: VERSE2, trackId: 42, effectiveBpm: 140 }), deck(3, { effectiveBpm: null })], 1);
  const on = (cond: string, event: BridgeEvent): number => fire(compileYaml(`  - { on: ${event.type === 'beat' ? 'beat' : event.type}, when: ${cond}, send: [{ osc: { to: resolume, address: /x } }] }`), [event], w).commands.length;
  const b1 = beat(1, 1, 1);
  const b2 = beat(2, 2, 2);

  it.each([
    ['{ deck: master }', b1, 1],
    ['{ deck: master }', b2, 0],
    ['{ deck: 2 }', b2, 1],
    ['{ deck: [1, 3] }', b2, 0],
    ['{ deck: any }', b2, 1],
    ['{ onAir: true }', b2, 0],
    ['{ onAir: false }', b2, 1],
    ['{ playing: false }', b2, 1],
    ['{ bpm: { min: 120, max: 130 } }', b1, 1],
    ['{ bpm: { min: 130 } }', b1, 0],
    ['{ bpm: { max: 130 } }', beat(1, 1, 3), 0], // unknown tempo never matches a range
    ['{ beatInBar: [2, 4] }', b2, 1],
    ['{ beatInBar: 1 }', b2, 0],
    ['{ phrase: chorus }', b1, 1],
    ['{ phrase: verse }', b2, 1],
    ['{ phrase: verse2 }', b2, 1],
    ['{ phrase: [intro, outro] }', b2, 0],
    ['{ label: "verse 2" }', b2, 1],
    ['{ mood: mid }', b2, 1],
    ['{ mood: high }', b2, 0],
    ['{ bank: cool }', b2, 1],
    ['{ bank: default }', b2, 0],
    ['{ trackId: 42 }', b2, 1],
    ['{ trackId: [1, 2] }', b2, 0],
    ['{ expr: "deck.bpm > 125 && phrase.kind == \'chorus\'" }', b1, 1],
    ['{ expr: "master.number == 1 and event.beatInBar == 2" }', b2, 1],
    ['{ expr: "deck.phrase.bars >= 8" }', b2, 0],
  ] as const)('when %s on deck %#', (cond, event, expected) => {
    expect(on(cond, event)).toBe(expected);
  });

  it('uses the phrase of a phrase event rather than the deck\'s', () => {
    const e: BridgeEvent = { type: 'phrase.start', at: 0, deck: 2, phrase: CHORUS, estimated: false, late: false, coasting: false, confirmed: true };
    expect(on('{ phrase: chorus }', e)).toBe(1);
  });

  it('builds what expressions read only for a rule its plain conditions let through', () => {
    // `slot` is read by the decks' expression views alone, never by the plain conditions.
    let reads = 0;
    const counted = (n: number, master: boolean) => {
      const state = deck(n, { master });
      Object.defineProperty(state, 'slot', { get: () => (reads++, 'usb'), enumerable: true });
      return state;
    };
    const w2 = world([counted(1, true), counted(2, false)], 1);
    const mapping = compileYaml('  - { on: beat, when: { deck: master }, send: [{ osc: { to: resolume, address: "/b/{{ deck.slot }}" } }] }');
    expect(fire(mapping, [beat(1, 1, 2), beat(2, 2, 2)], w2).commands).toEqual([]);
    expect(reads).toBe(0);
    expect(oscAddresses(fire(mapping, [beat(1, 1, 1)], w2).commands)).toEqual(['/b/usb']);
    expect(reads).toBeGreaterThan(0);
  });

  it('still gives a when.expr what it reads, whatever the plain conditions', () => {
    expect(on('{ deck: any, expr: "deck.number == 2 and master.number == 1" }', b2)).toBe(1);
    expect(on('{ deck: master, expr: "deck.number == 2" }', b2)).toBe(0);
  });
});

describe('engine: actions and templates', () => {
  const w = world([deck(1, { master: true, effectiveBpm: 120, phrase: CHORUS }), deck(2, { effectiveBpm: 130 })], 1);

  it('builds typed OSC, MIDI note/CC/program and WebSocket commands from templates', () => {
    const m = compileYaml(`
  - name: everything
    on: beat
    send:
      - osc: { to: resolume, address: "/deck/{{ deck.number }}/beat", args: [1, 0.5, "text", true, { float: "{{ scale(master.effectiveBpm, 60, 180, 0, 1) }}" }, { int: "{{ event.beat * 2 }}" }, "{{ phrase.label }}", { bool: "{{ deck.onAir }}" }] }
      - midi: { to: desk, channel: 10, note: "{{ 35 + event.beatInBar }}", velocity: 100, duration: 0.25s }
      - midi: { to: desk, cc: 20, value: "{{ round(scale(deck.effectiveBpm, 100, 140, 0, 127)) }}" }
      - midi: { to: desk, program: 4 }
      - ws: { to: dash, message: { deck: "{{ deck.number }}", label: "{{ phrase.label }}", fixed: 3 } }
`);
    const { commands, problems } = fire(m, [beat(17, 1, 1)], w);
    expect(problems).toEqual([]);
    expect(commands).toEqual([
      {
        kind: 'osc',
        target: 'resolume',
        rule: 'everything',
        address: '/deck/1/beat',
        args: [
          { type: 'int', value: 1 },
          { type: 'float', value: 0.5 },
          { type: 'string', value: 'text' },
          { type: 'bool', value: true },
          { type: 'float', value: 0.5 },
          { type: 'int', value: 34 },
          { type: 'string', value: 'Chorus' },
          { type: 'bool', value: true },
        ],
      },
      { kind: 'midi-note', target: 'desk', rule: 'everything', channel: 10, note: 36, velocity: 100, durationMs: 250 },
      { kind: 'midi-cc', target: 'desk', rule: 'everything', channel: 1, controller: 20, value: 64 },
      { kind: 'midi-program', target: 'desk', rule: 'everything', channel: 1, program: 4 },
      { kind: 'ws', target: 'dash', rule: 'everything', message: { deck: 1, label: 'Chorus', fixed: 3 } },
    ]);
  });

  it('sends the whole event to a WebSocket target when no message is given', () => {
    const m = compileYaml(`  - { name: relay, on: play, send: [{ ws: { to: dash } }] }`);
    const { commands } = fire(m, [{ type: 'play', at: 5, deck: 2 }], w);
    expect(commands).toEqual([{ kind: 'ws', target: 'dash', rule: 'relay', message: { type: 'play', at: 5, deck: 2, rule: 'relay' } }]);
  });

  it('skips an action whose value fails at run time and says why, without stopping the others', () => {
    const m = compileYaml(`
  - name: risky
    on: beat
    send:
      - midi: { to: desk, note: "{{ 100 + event.beat }}" }
      - osc: { to: resolume, address: /ok }
`);
    const { commands, problems } = fire(m, [beat(40, 4)], w);
    expect(oscAddresses(commands)).toEqual(['/ok']);
    expect(problems).toEqual(['risky: note 140 is outside 0–127']);
  });
});

describe('mapping compile errors point into the YAML string', () => {
  it('reports an unknown variable at its column with a suggestion', () => {
    expect(compileErrors(`  - { on: beat, when: { expr: "dek.bpm > 120" }, send: [{ osc: { to: resolume, address: /x } }] }`)).toEqual([
      'show.yaml:7:32 rules[0].when.expr: unknown variable "dek" (did you mean "deck"? known: deck, master, phrase, event)',
    ]);
  });

  it('reports a field that the event does not have', () => {
    const errors = compileErrors(`  - { on: beat, send: [{ osc: { to: resolume, address: "/x/{{ event.phrase.kind }}" } }] }`);
    expect(errors).toEqual([
      'show.yaml:7:69 rules[0].send[0].osc.address: unknown field "phrase" of event (known: type, at, deck, beat, beatInBar, bar, effectiveBpm, estimated, late, confirmed, coasting)',
    ]);
  });

  it('rejects an unknown phrase kind with a suggestion', () => {
    expect(compileErrors(`  - { on: phrase.start, when: { phrase: chrous }, send: [{ osc: { to: resolume, address: /x } }] }`)).toEqual([
      'show.yaml:7:41 rules[0].when.phrase: unknown phrase kind "chrous" (did you mean "chorus"? known: intro, up, down, verse, verse1, verse1b, verse1c, verse2, verse2b, verse2c, verse3, verse4, verse5, verse6, bridge, chorus, outro, unknown)',
    ]);
  });
});

describe('look-ahead rules', () => {
  const w = world([deck(1, { master: true }), deck(2)], 1);
  const m = compileYaml(`
  - { name: early, on: downbeat, lead: 80ms, when: { deck: master }, send: [{ osc: { to: resolume, address: /early, args: [{ int: "{{ event.beat }}" }] } }] }
  - { name: plain, on: beat, send: [{ osc: { to: resolume, address: /plain } }] }
`);

  it('are kept apart from the rules that fire on the event itself', () => {
    expect(m.leadRules.map((r) => [r.name, r.leadMs])).toEqual([['early', 80]]);
    expect(m.rulesByEvent.get('beat')?.map((r) => r.name)).toEqual(['plain']);
    expect(oscAddresses(fire(m, [beat(5, 1)], w).commands)).toEqual(['/plain']);
  });

  it('fire through runRule with their conditions', () => {
    const rule = m.leadRules[0];
    if (rule === undefined) throw new Error('no lead rule');
    const hit = runRule(rule, beat(9, 1), w, initialMemory(m));
    expect(hit.commands).toEqual([{ kind: 'osc', target: 'resolume', rule: 'early', address: '/early', args: [{ type: 'int', value: 9 }] }]);
    expect(hit.fired).toEqual([rule]);
    expect(runRule(rule, beat(9, 1, 2), w, initialMemory(m)).commands).toEqual([]);
    expect(runRule(rule, beat(10, 2), w, initialMemory(m)).commands).toEqual([]);
  });

  it('accept a lead only on predictable events and up to 4 s', () => {
    expect(compileErrors(`  - { on: play, lead: 80ms, send: [{ osc: { to: resolume, address: /x } }] }`)).toEqual([
      'show.yaml:7:17 rules[0].lead: lead only applies to predictable events: beat, downbeat, bar, phrase.start, phrase.end, phrase.fill, cue (this rule is on play)',
    ]);
    expect(compileErrors(`  - { on: phrase.start, lead: 5s, send: [{ osc: { to: resolume, address: /x } }] }`)).toEqual([
      'show.yaml:7:31 rules[0].lead: lead must be at most 4s (5s is further ahead than a tempo prediction holds)',
    ]);
    expect(compileErrors(`  - { on: phrase.start, lead: 4s, send: [{ osc: { to: resolume, address: /x } }] }`)).toEqual([]);
  });
});

describe('engine: commands into a sink', () => {
  const w = world([deck(1, { master: true, effectiveBpm: 120, phrase: CHORUS }), deck(2, { effectiveBpm: 130 })], 1);
  const m = compileYaml(`
  - name: typed
    on: beat
    send:
      - osc: { to: resolume, address: "/deck/{{ deck.number }}/beat", args: [1, 0.5, "text", true, { int: "{{ event.beat * 2 }}" }, "{{ phrase.label }}"] }
      - midi: { to: desk, channel: 10, note: "{{ 35 + event.beatInBar }}", velocity: 100, duration: 0.25s }
  - name: broken
    on: beat
    send:
      - osc: { to: resolume, address: /first }
      - osc: { to: resolume, address: /bad, args: [{ int: "{{ phrase.label }}" }] }
      - midi: { to: desk, cc: 20, value: "{{ event.beat }}" }
  - name: downbeats
    on: downbeat
    every: 2
    send:
      - midi: { to: desk, program: 4 }
      - ws: { to: dash, message: { deck: "{{ deck.number }}" } }
`);
  const events = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => beat(n, ((n - 1) % 4) + 1, 1 + (n % 2)));

  /** A sink that writes down every call, as the router would receive them. */
  class CallLog implements CommandSink {
    readonly calls: string[] = [];
    ruleFired(rule: CompiledRule): void {
      this.calls.push(`fired ${rule.name}`);
    }
    osc(target: string, rule: string, address: string, args: OscArgs): void {
      this.calls.push(`osc ${target} ${rule} ${address} ${JSON.stringify(args.toArguments())}`);
    }
    midiNote(target: string, rule: string, channel: number, note: number, velocity: number, durationMs: number): void {
      this.calls.push(`note ${target} ${rule} ${channel} ${note} ${velocity} ${durationMs}`);
    }
    midiCc(target: string, rule: string, channel: number, controller: number, value: number): void {
      this.calls.push(`cc ${target} ${rule} ${channel} ${controller} ${value}`);
    }
    midiProgram(target: string, rule: string, channel: number, program: number): void {
      this.calls.push(`program ${target} ${rule} ${channel} ${program}`);
    }
    ws(target: string, rule: string, message: Readonly<Record<string, unknown>>): void {
      this.calls.push(`ws ${target} ${rule} ${JSON.stringify(message)}`);
    }
  }

  it('hands the sink the same commands, rules and order as the listed result, and lists nothing itself', () => {
    const listed = new CallLog();
    const direct = new CallLog();
    let listedMemory = initialMemory(m);
    let directMemory = initialMemory(m);
    const listedProblems: string[] = [];
    const directProblems: string[] = [];
    for (const e of events) {
      const r = runEvent(m, e, w, listedMemory);
      listedMemory = r.memory;
      // The listed result played into a sink in its own order: each rule, then its commands.
      for (const rule of r.fired) {
        listed.ruleFired(rule);
        for (const c of r.commands.filter((x) => x.rule === rule.name)) replayCommand(c, listed, new OscArgs());
      }
      listedProblems.push(...r.problems.map((p) => p.message));
      const d = runEvent(m, e, w, directMemory, { sink: direct, memoryOwned: true });
      expect(d.commands).toEqual([]);
      expect(d.fired).toEqual([]);
      directMemory = d.memory;
      directProblems.push(...d.problems.map((p) => p.message));
    }
    expect(direct.calls).toEqual(listed.calls);
    expect(direct.calls.filter((c) => c.startsWith('fired downbeats'))).toHaveLength(2); // every 2nd of bars 1, 2, 3
    expect(direct.calls).toContain('osc resolume typed /deck/1/beat [{"type":"int","value":1},{"type":"float","value":0.5},{"type":"string","value":"text"},{"type":"bool","value":true},{"type":"int","value":16},{"type":"string","value":"Chorus"}]');
    // A value that cannot be worked out sends nothing for its action, and the rule's other actions still go.
    expect(direct.calls).not.toContainEqual(expect.stringContaining('/bad'));
    expect(direct.calls.filter((c) => c.startsWith('osc resolume broken /first'))).toHaveLength(9);
    expect(directProblems).toEqual(listedProblems);
    expect(directProblems).toHaveLength(9);
  });
});

describe('engine: runInto', () => {
  const m = compileYaml(`
  - name: tempo text
    on: beat
    when: { expr: "deck.effectiveBpm > 100" }
    send:
      - osc: { to: resolume, address: "/deck/{{ deck.number }}/bpm", args: [{ float: "{{ deck.effectiveBpm }}" }, "{{ master.number }}", { int: "{{ deck.beatInBar }}" }] }
  - name: throttled
    on: beat
    throttle: 1s
    send:
      - osc: { to: resolume, address: /throttled, args: [{ int: "{{ event.beat }}" }] }
  - name: failing
    on: beat
    every: 2
    send:
      - midi: { to: desk, cc: 1, value: "{{ deck.effectiveBpm }}" }
`);
  /** A new world per event: the decks' states change (tempo, beat), as a packet makes new states. */
  const worldAt = (n: number): World => world([deck(1, { master: true, effectiveBpm: 120 + n, beatInBar: ((n - 1) % 4) + 1 }), deck(2, { effectiveBpm: 90 + 2 * n })], n % 3 === 0 ? 2 : 1);
  const events = Array.from({ length: 24 }, (_, i) => beat(i + 1, (i % 4) + 1, 1 + (i % 2), (i + 1) * 400));

  it('fires, sends and remembers exactly what runEvent does, reading each event\'s own deck states', () => {
    let memory = initialMemory(m);
    const listed: string[] = [];
    const listedProblems: string[] = [];
    for (const e of events) {
      const r = runEvent(m, e, worldAt(e.beat ?? 0), memory);
      memory = r.memory;
      for (const c of r.commands) listed.push(c.kind === 'osc' ? `${c.address} ${JSON.stringify(c.args)}` : c.kind);
      listedProblems.push(...r.problems.map((p) => `${p.rule}: ${p.message}`));
    }
    const owned = initialMemory(m);
    const sent: string[] = [];
    const problems: string[] = [];
    const sink: CommandSink = {
      ruleFired: () => undefined,
      osc: (_t, _r, address, args) => sent.push(`${address} ${JSON.stringify(args.toArguments())}`),
      midiNote: () => sent.push('midi-note'),
      midiCc: () => sent.push('midi-cc'),
      midiProgram: () => sent.push('midi-program'),
      ws: () => sent.push('ws'),
    };
    for (const e of events) runInto(rulesFor(m, e), e, worldAt(e.beat ?? 0), owned, sink, (p) => problems.push(`${p.rule}: ${p.message}`));
    expect(sent).toEqual(listed);
    expect(problems).toEqual(listedProblems);
    expect(owned).toEqual(memory);
    expect(sent).toContain('/deck/2/bpm [{"type":"float","value":102},{"type":"string","value":"2"},{"type":"int","value":1}]');
    expect(sent).toContain('/deck/1/bpm [{"type":"float","value":123},{"type":"string","value":"2"},{"type":"int","value":3}]');
    expect(problems.length).toBeGreaterThan(0);
  });

  /** The argument values of each OSC message `mapping` sends for `events` by runInto, after checking runEvent lists the same. */
  function bothWays(mapping: CompiledMapping, events: readonly BridgeEvent[]): string[] {
    const values = (args: readonly OscArgument[]): string => JSON.stringify(args.map((a) => ('value' in a ? a.value : null)));
    const listed: string[] = [];
    let memory = initialMemory(mapping);
    for (const e of events) {
      const r = runEvent(mapping, e, worldAt(1), memory);
      memory = r.memory;
      for (const c of r.commands) if (c.kind === 'osc') listed.push(values(c.args));
    }
    const sent: string[] = [];
    const sink: CommandSink = { ruleFired: () => undefined, osc: (_t, _r, _a, args) => sent.push(values(args.toArguments())), midiNote: () => undefined, midiCc: () => undefined, midiProgram: () => undefined, ws: () => undefined };
    const owned = initialMemory(mapping);
    for (const e of events) runInto(rulesFor(mapping, e), e, worldAt(1), owned, sink, () => undefined);
    expect(sent).toEqual(listed);
    return sent;
  }

  it("reads each beat's own fields, bar and confirmation, beat after beat (the beat's view is rewritten, never stale)", () => {
    const fields = compileYaml(`
  - name: beat fields
    on: beat
    send:
      - osc: { to: resolume, address: /beat, args: [{ int: "{{ event.beat ?? 0 }}" }, { int: "{{ event.bar ?? 0 }}" }, { bool: "{{ event.confirmed }}" }, { bool: "{{ event.late }}" }, { int: "{{ event.deck }}" }] }
`);
    const beats: BeatEvent[] = [
      { ...beat(5, 1), estimated: true },
      { ...beat(6, 2, 2), estimated: false },
      { ...beat(7, 3), estimated: true, late: true },
      { ...beat(8, 4), estimated: true, confirmed: true } as BeatEvent,
      { ...beat(9, 1), estimated: true, beat: null },
    ];
    const sent = bothWays(fields, beats);
    expect(sent).toEqual(['[5,2,false,false,1]', '[6,2,true,false,2]', '[7,2,false,true,1]', '[8,2,true,false,1]', '[0,0,false,false,1]']);
  });

  it("reads each tempo event's own fields, event after event (its view is rewritten, never stale)", () => {
    const fields = compileYaml(`
  - name: tempo fields
    on: tempo
    send:
      - osc: { to: resolume, address: /tempo, args: [{ float: "{{ event.effectiveBpm ?? -1 }}" }, { float: "{{ event.previousBpm ?? -1 }}" }, { int: "{{ event.deck }}" }, { float: "{{ event.at }}" }] }
`);
    const tempos: BridgeEvent[] = [
      { type: 'tempo', at: 100.5, deck: 1, effectiveBpm: 128.25, previousBpm: null },
      { type: 'tempo', at: 300.25, deck: 2, effectiveBpm: null, previousBpm: 126.5 },
      { type: 'tempo', at: 500, deck: 1, effectiveBpm: 129.75, previousBpm: 128.25 },
    ];
    const sent = bothWays(fields, tempos);
    expect(sent).toEqual(['[128.25,-1,1,100.5]', '[-1,126.5,2,300.25]', '[129.75,128.25,1,500]']);
  });

  it('gives a run started inside another (from a sink) its own pass, leaving the outer one whole', () => {
    const inner: string[] = [];
    const outer: string[] = [];
    const innerSink: CommandSink = { ruleFired: () => undefined, osc: (_t, _r, address) => inner.push(address), midiNote: () => undefined, midiCc: () => undefined, midiProgram: () => undefined, ws: () => undefined };
    const outerSink: CommandSink = {
      ...innerSink,
      osc: (_t, _r, address, args) => {
        const before = JSON.stringify(args.toArguments());
        runInto(rulesFor(m, events[1] as BeatEvent), events[1] as BeatEvent, worldAt(50), initialMemory(m), innerSink, () => undefined);
        // The outer message's argument columns are untouched by the inner run.
        expect(JSON.stringify(args.toArguments())).toBe(before);
        outer.push(`${address} ${before}`);
      },
    };
    runInto(rulesFor(m, events[0] as BeatEvent), events[0] as BeatEvent, worldAt(1), initialMemory(m), outerSink, () => undefined);
    expect(outer).toEqual(['/deck/1/bpm [{"type":"float","value":121},{"type":"string","value":"1"},{"type":"int","value":1}]', '/throttled [{"type":"int","value":1}]']);
    expect(inner).toEqual(['/deck/2/bpm', '/throttled', '/deck/2/bpm', '/throttled']);
  });
});
