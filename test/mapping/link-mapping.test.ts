import { parseMappingSources } from '../../src/mapping/load-mapping';
import { compileMapping } from '../../src/mapping/compile-mapping';

describe('link: in mappings', () => {
  it('fills in the defaults: master, quantum 4, no start/stop sync, enabled', () => {
    const result = parseMappingSources([{ file: 'a.yaml', text: 'link: {}\n' }]);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.mapping.link?.value).toEqual({ enabled: true, follow: 'master', quantum: 4, startStopSync: false });
    const compiled = compileMapping(result.mapping);
    expect(compiled.ok && compiled.mapping.link).toEqual({ enabled: true, follow: 'master', quantum: 4, startStopSync: false });
  });

  it('runs no session without link: or with enabled: false', () => {
    for (const text of ['rules: []\n', 'link: { enabled: false, follow: 2 }\n']) {
      const result = parseMappingSources([{ file: 'a.yaml', text }]);
      if (!result.ok) throw new Error(result.errors.join('\n'));
      const compiled = compileMapping(result.mapping);
      expect(compiled.ok && compiled.mapping.link).toBeNull();
    }
  });

  it('rejects link: given in two files, pointing at both', () => {
    const result = parseMappingSources([
      { file: 'a.yaml', text: 'link: { follow: 1 }\n' },
      { file: 'b.yaml', text: 'rules: []\nlink: { follow: 2 }\n' },
    ]);
    expect(result.ok ? [] : result.errors.map(String)).toEqual(['b.yaml:2:1 link: link is already given in a.yaml:1:1 (one Link session per bridge)']);
  });
});
