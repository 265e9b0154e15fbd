/**
 * Where the real analysis files and Beat Link Trigger sample tracks live
 * (test/fixtures/PROVENANCE.md), and test-side builders for ANLZ bytes that
 * no shared file holds: cue tags with entries, written from the published
 * tag layouts with their own literal offsets (not the reader's constants).
 */
import type { GridBeat } from '../../../src/library/library-track';
import { readEdnNumberVectors } from '../../support/edn';
import { fixturePath, readFixture } from '../../support/fixtures';

const PYREKORDBOX_EXPORT = ['dylanljones__pyrekordbox', '.testdata', 'export', 'PIONEER', 'USBANLZ'];
const REKORDCRATE_EXPORT = ['Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks', 'PIONEER', 'USBANLZ'];
const RB6_LOCAL = ['dylanljones__pyrekordbox', '.testdata', 'rekordbox 6', 'backup', 'share', 'PIONEER', 'USBANLZ'];
const BLT_SAMPLES = ['Deep-Symmetry__beat-link-trigger', 'resources', 'beat_link_trigger', 'sampleTracks'];

/** PROVENANCE §6: the six demo tracks of the pyrekordbox export, by analysis folder. */
export const DEMO_DIRS = {
  demo1: 'P016/0000875E',
  demo2: 'P053/0001D21F',
  horn: 'P021/00006D2B',
  noise: 'P019/00020AA9',
  sinewave: 'P043/00011517',
  siren: 'P017/00009B77',
} as const;
export type DemoTrack = keyof typeof DEMO_DIRS;

export function pyrekordboxDat(track: DemoTrack): string {
  return fixturePath(...PYREKORDBOX_EXPORT, ...DEMO_DIRS[track].split('/'), 'ANLZ0000.DAT');
}

export function rekordcrateDat(track: 'demo1' | 'demo2'): string {
  return fixturePath(...REKORDCRATE_EXPORT, ...DEMO_DIRS[track].split('/'), 'ANLZ0000.DAT');
}

/** rekordbox 6's local (unmasked) .EXT of Demo Tracks 1 and 2 (PROVENANCE §6). */
export const LOCAL_EXT = {
  demo1: [...RB6_LOCAL, 'e35', 'fa187-3f34-47e2-9880-2b33cb8d1304', 'ANLZ0000.EXT'],
  demo2: [...RB6_LOCAL, '36d', 'ad2b4-5d4e-4b94-9a5d-a5bb241aee4b', 'ANLZ0000.EXT'],
} as const;

export function bltSample(track: 1 | 2, file: string): Buffer {
  return readFixture(...BLT_SAMPLES, String(track), file);
}

export function bltSampleText(track: 1 | 2, file: string): string {
  return bltSample(track, file).toString('utf8');
}

/** A sample track's beat grid from beat-grid.edn: [[beat-in-bar …] [time ms …] [tempo × 100 …]]. */
export function ednGrid(track: 1 | 2): GridBeat[] {
  const [bars, times, tempos] = readEdnNumberVectors(bltSampleText(track, 'beat-grid.edn'));
  if (bars === undefined || times === undefined || tempos === undefined)
    throw new Error('beat-grid.edn needs three vectors');
  return bars.map((beatInBar, i) => ({ beatInBar, timeMs: times[i] ?? NaN, bpm: (tempos[i] ?? NaN) / 100 }));
}

/** A whole tag: fourcc, len_header, len_tag, then the body. */
export function tagOf(fourcc: string, lenHeader: number, body: Buffer): Buffer {
  const prefix = Buffer.alloc(12);
  prefix.write(fourcc, 0, 'latin1');
  prefix.writeUInt32BE(lenHeader, 4);
  prefix.writeUInt32BE(12 + body.length, 8);
  return Buffer.concat([prefix, body]);
}

/** The tags of an ANLZ file, in order, as copies. */
export function tagsOf(file: Buffer): Buffer[] {
  const tags: Buffer[] = [];
  for (let at = file.readUInt32BE(4); at + 12 <= file.length; at += file.readUInt32BE(at + 8)) {
    tags.push(Buffer.from(file.subarray(at, at + file.readUInt32BE(at + 8))));
  }
  return tags;
}

/** The file with its header kept, its tags replaced (one tag may become several or none), and len_file updated. */
export function rewriteAnlz(file: Buffer, replace: (tag: Buffer, fourcc: string) => Buffer[]): Buffer {
  const header = Buffer.from(file.subarray(0, file.readUInt32BE(4)));
  const tags = tagsOf(file).flatMap((tag) => replace(tag, tag.toString('latin1', 0, 4)));
  const out = Buffer.concat([header, ...tags]);
  out.writeUInt32BE(out.length, 8);
  return out;
}

export interface Pcp2Fields {
  readonly hotCue: number;
  /** 1 cue, 2 loop. */
  readonly type: number;
  readonly timeMs: number;
  readonly loopMs?: number;
  /** Memory cues' colour (a row of export.pdb's colour table). */
  readonly colorId?: number;
  readonly comment?: string;
  /** Hot cues' palette code and RGB. */
  readonly colorCode?: number;
  readonly rgb?: readonly [number, number, number];
  /** Cut the entry after this many bytes, as older exports do (before the comment or the colour). */
  readonly cutAt?: number;
}

/**
 * A PCP2 entry per the extended cue list layout: hot_cue at 0x0c, type at
 * 0x10, time 0x14, loop_time 0x18, color_id 0x1c, len_comment 0x28, the
 * UTF-16BE comment with its NUL at 0x2c, then colour code, red, green, blue.
 */
export function pcp2Entry(f: Pcp2Fields): Buffer {
  const comment = f.comment === undefined || f.comment === '' ? Buffer.alloc(0) : utf16beWithNul(f.comment);
  const entry = Buffer.alloc(0x2c + comment.length + 4 + 0x14);
  entry.write('PCP2', 0, 'latin1');
  entry.writeUInt32BE(0x10, 4);
  entry.writeUInt32BE(f.hotCue, 0x0c);
  entry[0x10] = f.type;
  entry.writeUIntBE(0x0003e8, 0x11, 3);
  entry.writeUInt32BE(f.timeMs, 0x14);
  entry.writeUInt32BE(f.loopMs ?? 0xffffffff, 0x18);
  entry[0x1c] = f.colorId ?? 0;
  entry[0x1d] = 0x01;
  entry.writeUInt32BE(comment.length, 0x28);
  comment.copy(entry, 0x2c);
  const color = 0x2c + comment.length;
  entry[color] = f.colorCode ?? 0;
  entry[color + 1] = f.rgb?.[0] ?? 0;
  entry[color + 2] = f.rgb?.[1] ?? 0;
  entry[color + 3] = f.rgb?.[2] ?? 0;
  const cut = entry.subarray(0, f.cutAt ?? entry.length);
  cut.writeUInt32BE(cut.length, 8);
  return Buffer.from(cut);
}

/** A PCO2 tag: type (0 memory, 1 hot) at 0x0c, len_cues at 0x10, entries from 0x14. */
export function pco2Tag(listType: number, entries: readonly Buffer[]): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(listType, 0);
  head.writeUInt16BE(entries.length, 4);
  return tagOf('PCO2', 0x14, Buffer.concat([head, ...entries]));
}

function utf16beWithNul(text: string): Buffer {
  const le = Buffer.from(`${text}\0`, 'utf16le');
  return Buffer.from(le).swap16();
}
