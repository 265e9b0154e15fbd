/**
 * Rules on cue: the cue: and cueKind: conditions, the event.cue fields in
 * templates, and the errors a mapping gets for misusing them.
 */
import { initialMemory, runEvent } from '../../src/mapping/engine';
import type { CueEvent } from '../../src/events/bridge-event';
import { compileErrors, compileYaml, deck, world } from './engine-support';

const cueEvent = (name: string, kind: 'memory' | 'hot' = 'memory', late = false): CueEvent => ({
  type: 'cue',
  at: 1000,
  deck: 1,
  cue: { name, kind, hotCue: kind === 'hot' ? 3 : null, hotCueLetter: kind === 'hot' ? 'C' : null, color: '#ff0000', timeMs: 60_025, beat: 129 },
  estimated: true,
  late,
  confirmed: false,
  coasting: false,
});

function sent(rules: string, event: CueEvent): string[] {
  const mapping = compileYaml(rules);
  const result = runEvent(mapping, event, world([deck(1)]), initialMemory(mapping));
  return result.commands.map((c) => (c.kind === 'osc' ? `${c.address} ${c.args.map((a) => (a.type === 'nil' ? 'nil' : String(a.value))).join(' ')}` : c.kind));
}

describe('rules on cue', () => {
  const RULE = `  - on: cue
    when: { cue: DROP }
    send: [{ osc: { to: resolume, address: "/cue/{{ event.cue.name }}", args: ["{{ event.cue.kind }}", "{{ event.cue.beat }}", "{{ event.late }}"] } }]
`;

  it('fires on a cue of that name (upper or lower case alike), with the cue in templates', () => {
    expect(sent(RULE, cueEvent('Drop'))).toEqual(['/cue/Drop memory 129 false']);
    expect(sent(RULE, cueEvent('BREAK'))).toEqual([]);
  });

  it('takes a /regex/ with flags, a list, and cueKind', () => {
    const rules = `  - { on: cue, when: { cue: "/^break/i" }, send: [{ osc: { to: resolume, address: /a } }] }
  - { on: cue, when: { cue: [DROP, BUILD] }, send: [{ osc: { to: resolume, address: /b } }] }
  - { on: cue, when: { cueKind: hot }, send: [{ osc: { to: resolume, address: "/hot/{{ event.cue.hotCueLetter }}" } }] }
`;
    expect(sent(rules, cueEvent('Breakdown 2'))).toEqual(['/a ']);
    expect(sent(rules, cueEvent('build', 'hot'))).toEqual(['/b ', '/hot/C ']);
    expect(sent(rules, cueEvent('intro'))).toEqual([]);
  });

  it('accepts lead on cue rules', () => {
    expect(compileYaml('  - { on: cue, lead: 500ms, send: [{ osc: { to: resolume, address: /a } }] }').leadRules).toHaveLength(1);
  });

  it('refuses cue conditions on other events, a bad pattern, and an unknown cue field', () => {
    expect(compileErrors('  - { on: beat, when: { cue: DROP }, send: [{ osc: { to: resolume, address: /a } }] }')).toEqual([
      expect.stringContaining('cue and cueKind only apply to rules on cue (this rule is on beat)'),
    ]);
    expect(compileErrors('  - { on: cue, when: { cue: "/(/" }, send: [{ osc: { to: resolume, address: /a } }] }')).toEqual([expect.stringContaining('"/(/" is not a regular expression')]);
    expect(compileErrors('  - { on: cue, when: { cueKind: loop }, send: [{ osc: { to: resolume, address: /a } }] }')).not.toEqual([]);
    expect(compileErrors('  - { on: cue, send: [{ osc: { to: resolume, address: "/{{ event.cue.nme }}" } }] }')).not.toEqual([]);
  });
});
