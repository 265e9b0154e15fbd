import { initialMemory, runConfirmedEvent, runEvent } from '../../src/mapping/engine';
import type { BeatEvent, PhraseEvent } from '../../src/events/bridge-event';
import type { ConfirmedBeat } from '../../src/streams/confirm-beats';
import { CHORUS, compileErrors, compileYaml, deck, world } from './engine-support';

const w = world([deck(1, { master: true }), deck(2)], 1);
const phraseStart = (flags: Pick<PhraseEvent, 'estimated' | 'late' | 'confirmed' | 'coasting'>): PhraseEvent => ({ type: 'phrase.start', at: 100, deck: 1, phrase: CHORUS, ...flags });
const beat = (estimated: boolean): BeatEvent => ({ type: 'beat', at: 500, deck: 1, beat: 9, beatInBar: 1, effectiveBpm: 128, estimated, late: false, coasting: false });

describe('rules with confirm: true', () => {
  const m = compileYaml(`
  - { name: predicted, on: phrase.start, send: [{ osc: { to: qlab, address: /cue/12/go } }] }
  - { name: confirmed, on: phrase.start, confirm: true, send: [{ osc: { to: qlab, address: /cue/13/go } }] }
  - { name: bar, on: downbeat, confirm: true, send: [{ osc: { to: resolume, address: /bar } }] }
`);
  const names = (r: { readonly fired: readonly { readonly name: string }[] }): string[] => r.fired.map((f) => f.name);

  it('are kept apart: the event stream fires only the others, the confirmed stream only them', () => {
    expect(m.rules.map((r) => [r.name, r.confirm])).toEqual([['predicted', false], ['confirmed', true], ['bar', true]]);
    expect(m.rulesByEvent.get('phrase.start')?.map((r) => r.name)).toEqual(['predicted']);
    expect(m.confirmRulesByEvent.get('phrase.start')?.map((r) => r.name)).toEqual(['confirmed']);
    expect(m.confirmRulesByEvent.get('beat')?.map((r) => r.name)).toEqual(['bar']);
    const event = phraseStart({ estimated: true, late: false, coasting: false, confirmed: true });
    expect(names(runEvent(m, event, w, initialMemory(m)))).toEqual(['predicted']);
    expect(names(runConfirmedEvent(m, event, w, initialMemory(m)))).toEqual(['confirmed']);
    expect(names(runEvent(m, beat(true), w, initialMemory(m)))).toEqual([]);
    expect(names(runConfirmedEvent(m, beat(true), w, initialMemory(m)))).toEqual(['bar']);
  });

  it('are accepted only on beats and phrase changes, and not with a lead', () => {
    expect(compileErrors(`  - { on: master.change, confirm: true, send: [{ osc: { to: resolume, address: /x } }] }`)).toEqual([
      'show.yaml:7:26 rules[0].confirm: confirm only applies to beat, downbeat, bar, phrase.start, phrase.end, phrase.fill, whose events can be predicted ahead of the deck (this rule is on master.change)',
    ]);
    expect(compileErrors(`  - { on: phrase.start, lead: 100ms, confirm: true, send: [{ osc: { to: resolume, address: /x } }] }`)).toEqual([
      'show.yaml:7:38 rules[0].confirm: confirm waits for the deck to show the event happened, lead fires before it: a rule takes one or the other',
    ]);
    expect(compileErrors(`  - { on: phrase.end, confirm: false, lead: 100ms, send: [{ osc: { to: resolume, address: /x } }] }`)).toEqual([]);
  });
});

describe('how an event was made, in conditions and templates', () => {
  const m = compileYaml(`
  - name: flags
    on: phrase.start
    when: { expr: "not event.late" }
    send: [{ osc: { to: resolume, address: /phrase, args: ["{{ event.estimated }}", "{{ event.confirmed }}"] } }]
  - { name: beats, on: beat, send: [{ osc: { to: resolume, address: /beat, args: ["{{ event.confirmed }}"] } }] }
`);
  const args = (r: { readonly commands: readonly { readonly kind: string }[] }): unknown[] => r.commands.flatMap((c) => ('args' in c ? (c.args as { value: unknown }[]).map((a) => a.value) : []));

  it('reads estimated, late and confirmed of phrase events', () => {
    expect(args(runEvent(m, phraseStart({ estimated: true, late: false, coasting: false, confirmed: false }), w, initialMemory(m)))).toEqual(['true', 'false']);
    expect(args(runEvent(m, phraseStart({ estimated: false, late: false, coasting: false, confirmed: true }), w, initialMemory(m)))).toEqual(['false', 'true']);
    expect(runEvent(m, phraseStart({ estimated: false, late: true, coasting: false, confirmed: true }), w, initialMemory(m)).commands).toEqual([]);
  });

  it('reads confirmed of beats: a real beat packet is, an estimated beat is once the deck confirmed it', () => {
    expect(args(runEvent(m, beat(false), w, initialMemory(m)))).toEqual(['true']);
    expect(args(runEvent(m, beat(true), w, initialMemory(m)))).toEqual(['false']);
    const held: ConfirmedBeat = { ...beat(true), confirmed: true };
    expect(args(runEvent(m, held, w, initialMemory(m)))).toEqual(['true']);
  });
});
