import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { watchMappingFiles } from '../../src/mapping/watch-files';
import { MappingReloader, type Compiled } from '../../src/mapping/mapping-reloader';
import { loadMappingPaths, type ValidatedMapping } from '../../src/mapping/load-mapping';
import type { MappingError } from '../../src/mapping/mapping-error';
import { until } from '../support/until';


const GOOD = 'targets:\n  qlab: { osc: { port: 53000 } }\nrules:\n  - on: beat\n    send: [{ osc: { to: qlab, address: /one } }]\n';
const BAD = 'targets:\n  qlab: { osc: { port: 53000 } }\nrules:\n  - on: beat\n    send: [{ osc: { to: qlab2, address: /two } }]\n';
const GOOD2 = GOOD.replace('/one', '/three');

describe('hot reload', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reload-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function reloaderFor(paths: string[]): { reloader: MappingReloader<ValidatedMapping>; swaps: string[]; errors: string[][] } {
    const swaps: string[] = [];
    const errors: string[][] = [];
    const load = async (): Promise<Compiled<ValidatedMapping>> => {
      const r = await loadMappingPaths(paths);
      return r.ok ? { ok: true, value: r.mapping } : { ok: false, errors: r.errors };
    };
    const reloader = new MappingReloader<ValidatedMapping>(
      load,
      (next) => swaps.push(next.rules[0]?.value.send[0]?.osc?.address ?? '?'),
      (e: readonly MappingError[]) => errors.push(e.map(String)),
    );
    return { reloader, swaps, errors };
  }

  it('keeps the previous mapping on an invalid save, reports it once, and swaps on the next valid save', async () => {
    const file = path.join(dir, 'show.yaml');
    fs.writeFileSync(file, GOOD);
    const { reloader, swaps, errors } = reloaderFor([file]);
    expect((await reloader.reload()).kind).toBe('loaded');

    fs.writeFileSync(file, BAD);
    const rejected = await reloader.reload();
    expect(rejected.kind).toBe('rejected');
    expect(reloader.mapping?.rules[0]?.value.send[0]?.osc?.address).toBe('/one');
    expect((await reloader.reload()).kind).toBe('unchanged-error'); // saved again, still broken: no second report
    expect(errors).toEqual([[`${file}:5:25 rules[0].send[0].osc.to: unknown target "qlab2" (known: qlab)`]]);

    fs.writeFileSync(file, GOOD2);
    expect((await reloader.reload()).kind).toBe('loaded');
    expect(swaps).toEqual(['/one', '/three']);
  });

  it('notices saves made by renaming a temporary file over the mapping (as editors do), debounced', async () => {
    const file = path.join(dir, 'show.yaml');
    fs.writeFileSync(file, GOOD);
    let changes = 0;
    const watcher = watchMappingFiles([file], () => changes++, { debounceMs: 50 });
    const temp = path.join(dir, '.show.yaml.swp');
    fs.writeFileSync(temp, GOOD2);
    fs.renameSync(temp, file);
    fs.appendFileSync(file, '# touched\n');
    await until(() => changes === 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(changes).toBe(1); // one burst, one reload
    fs.writeFileSync(path.join(dir, 'unrelated.txt'), 'x');
    await new Promise((r) => setTimeout(r, 150));
    expect(changes).toBe(1);
    fs.writeFileSync(file, GOOD);
    await until(() => changes === 2);
    watcher.close();
  });

  it('watches every mapping file of a folder, including new ones', async () => {
    fs.writeFileSync(path.join(dir, 'a.yaml'), GOOD);
    let changes = 0;
    const watcher = watchMappingFiles([dir], () => changes++, { debounceMs: 30 });
    fs.writeFileSync(path.join(dir, 'b.yml'), 'rules: []\n');
    await until(() => changes === 1);
    watcher.close();
  });
});
