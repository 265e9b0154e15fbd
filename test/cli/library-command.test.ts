/**
 * `prolink-bridge library scan` and `library show`, run as the built binary
 * on real USB exports (test/fixtures/PROVENANCE.md §5, §6).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trackLines } from '../../src/cli/library-format';
import type { CatalogueData } from '../../src/library/catalogue';
import { runCli } from '../support/cli';
import { fixturePath } from '../support/fixtures';

const PYREKORDBOX = fixturePath('dylanljones__pyrekordbox', '.testdata', 'export');
const DEMO = fixturePath('Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks');

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prolink-library-cli-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('library scan', () => {
  it('prints a summary naming the 6 tracks and writes prolink-library.json in the current folder', () => {
    const run = runCli(['library', 'scan', PYREKORDBOX], { cwd: tmp });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout.split('\n');
    expect(out).toContain(`  ${PYREKORDBOX}: 6 tracks`);
    expect(out).toContain('6 tracks: 6 with titles, 2 with beat grids, 0 with cues, 2 with phrases');
    const file = path.join(fs.realpathSync(tmp), 'prolink-library.json');
    expect(run.stdout).toContain(`Catalogue written to ${file} (the default: prolink-library.json in the current folder; choose another with --out)`);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogueData;
    expect(saved.tracks.map((t) => t.title).sort()).toEqual(['Demo Track 1', 'Demo Track 2', 'HORN', 'NOISE', 'SINEWAVE', 'SIREN']);
  });

  it('--json prints the catalogue, holding "Demo Track 1", and writes no file', () => {
    const run = runCli(['library', 'scan', '--json', PYREKORDBOX], { cwd: tmp });
    expect(run.status).toBe(0);
    const data = JSON.parse(run.stdout) as CatalogueData;
    expect(data).toMatchObject({ format: 'prolink-bridge-catalogue', version: 1 });
    expect(data.tracks.find((t) => t.title === 'Demo Track 1')).toMatchObject({ bpm: 128, durationSeconds: 172 });
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('--out chooses the file; two exports list their shared tracks as duplicates', () => {
    const out = path.join(tmp, 'both.json');
    const run = runCli(['library', 'scan', PYREKORDBOX, DEMO, '--out', out], { cwd: tmp });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Duplicates: 2');
    expect(run.stdout).toContain(`Catalogue written to ${out}\n`);
    expect(fs.existsSync(out)).toBe(true);
  });

  it('a folder with no export is one sentence on stderr and exit code 2', () => {
    const run = runCli(['library', 'scan', tmp], { cwd: tmp });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `${tmp}: holds no PIONEER/rekordbox/export.pdb; give the folder of a USB drive that rekordbox exported to (the one holding PIONEER).`,
    ]);
  });

  it('a damaged export.pdb is reported in the summary and on stderr, exit code 2', () => {
    const pdb = path.join(tmp, 'usb', 'PIONEER', 'rekordbox', 'export.pdb');
    fs.mkdirSync(path.dirname(pdb), { recursive: true });
    fs.writeFileSync(pdb, fs.readFileSync(path.join(PYREKORDBOX, 'PIONEER', 'rekordbox', 'export.pdb')).subarray(0, 4096 * 3));
    const run = runCli(['library', 'scan', path.join(tmp, 'usb')], { cwd: tmp });
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('Unreadable files: 1');
    const errors = run.stderr.trim().split('\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^${pdb.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the \\w+ table's page chain leads to page \\d+, past the end of the file \\(3 pages\\)`));
  });
});

describe('library show', () => {
  it('prints Demo Track 2 with 120 BPM from the catalogue in the current folder', () => {
    expect(runCli(['library', 'scan', PYREKORDBOX], { cwd: tmp }).status).toBe(0);
    const run = runCli(['library', 'show', 'demo track 2'], { cwd: tmp });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'Demo Track 2 — Loopmasters',
      '  album – · 120.00 BPM · 2:08 · key Fm',
      '  beat grid: 257 beats · 11 phrases (mid mood) · 0 cues',
      `  rekordbox ID 2 on ${PYREKORDBOX}`,
      '',
    ]);
  });

  it('reads export folders given with --library, and finds by rekordbox ID', () => {
    const run = runCli(['library', 'show', '6', '--library', PYREKORDBOX, DEMO], { cwd: tmp });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^SIREN — /);
    expect(run.stdout).toContain('0:07');
  });

  it('no match is one sentence and exit code 1', () => {
    const run = runCli(['library', 'show', 'no such song', '--library', PYREKORDBOX], { cwd: tmp });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(`No track matches "no such song" among the 6 tracks of ${PYREKORDBOX}.`);
  });

  it('without a catalogue says how to make one, exit code 2', () => {
    const run = runCli(['library', 'show', 'demo'], { cwd: tmp });
    expect(run.status).toBe(2);
    const file = path.join(fs.realpathSync(tmp), 'prolink-library.json');
    expect(run.stderr.trim().split('\n')).toEqual([`${file}: no such catalogue; write one with \`prolink-bridge library scan <usb-folder>\`.`]);
  });

  it('a file that is not a catalogue is refused in one sentence, exit code 2', () => {
    const file = path.join(tmp, 'mapping.json');
    fs.writeFileSync(file, '{"rules": []}');
    const run = runCli(['library', 'show', 'demo', '--library', file], { cwd: tmp });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([`${file}: not a track catalogue (no "format": "prolink-bridge-catalogue"); write one with \`prolink-bridge library scan\`.`]);
  });
});

describe('track lines', () => {
  it('print each cue with its time, letter, loop end and name', () => {
    const run = runCli(['library', 'scan', '--json', DEMO], { cwd: tmp });
    const track = (JSON.parse(run.stdout) as CatalogueData).tracks[0];
    if (track === undefined) throw new Error('no track');
    const lines = trackLines({
      ...track,
      cues: [
        { kind: 'memory', hotCue: null, hotCueLetter: null, timeMs: 25, loopEndMs: null, name: '', color: null, colorCode: 0 },
        { kind: 'hot', hotCue: 1, hotCueLetter: 'A', timeMs: 61_250, loopEndMs: 68_750, name: 'Drop', color: '#ff0000', colorCode: 22 },
      ],
    });
    expect(lines).toEqual([
      'Demo Track 1 — Loopmasters',
      '  album – · 128.00 BPM · 2:52 · key Fm',
      '  beat grid: 368 beats · 19 phrases (mid mood) · 2 cues',
      '    0:00.025  memory cue',
      '    1:01.250  hot cue A loop to 1:08.750 "Drop"',
      `  rekordbox ID 1 on ${DEMO}`,
    ]);
  });
});
