import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadMappingPaths } from '../../src/mapping/load-mapping';
import { compileMapping } from '../../src/mapping/compile-mapping';

const REPO = path.resolve(__dirname, '..', '..');
const files = [
  path.join('mappings', 'default.yaml'),
  ...fs.readdirSync(path.join(REPO, 'examples')).filter((f) => f.endsWith('.yaml')).map((f) => path.join('examples', f)),
];

describe('shipped mappings', () => {
  it('ships the examples the README promises', () => {
    expect(files.map((f) => path.basename(f)).sort()).toEqual(
      ['default.yaml', 'grandma3.yaml', 'magicq.yaml', 'midi-clock.yaml', 'midi-notes-per-bar.yaml', 'qlab.yaml', 'resolume.yaml', 'touchdesigner.yaml', 'websocket-relay.yaml'].sort(),
    );
  });

  it.each(files)('%s validates and compiles', async (file) => {
    const loaded = await loadMappingPaths([path.join(REPO, file)]);
    const compiled = loaded.ok ? compileMapping(loaded.mapping) : loaded;
    expect(compiled.ok ? [] : compiled.errors.map(String)).toEqual([]);
  });

  it.each(files)('%s points editors at the schema', (file) => {
    expect(fs.readFileSync(path.join(REPO, file), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../mapping.schema.json');
  });
});
