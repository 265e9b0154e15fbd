/**
 * Paths of the real rekordbox analysis files (see fixtures PROVENANCE §5–§7)
 * and the phrase lists their independent decoders assert.
 */
import { readFixture } from '../../support/fixtures';

const PYREKORDBOX = ['dylanljones__pyrekordbox', '.testdata'];
const EXPORT = [...PYREKORDBOX, 'export', 'PIONEER', 'USBANLZ'];
const RB6_LOCAL = [...PYREKORDBOX, 'rekordbox 6', 'backup', 'share', 'PIONEER', 'USBANLZ'];
const RB5_LOCAL = [...PYREKORDBOX, 'rekordbox 5', 'backup', 'PIONEER', 'USBANLZ'];
const REKORDCRATE = ['Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks', 'PIONEER', 'USBANLZ'];

export const ANLZ = {
  demo1Export: [...EXPORT, 'P016', '0000875E', 'ANLZ0000.EXT'],
  demo1Local: [...RB6_LOCAL, 'e35', 'fa187-3f34-47e2-9880-2b33cb8d1304', 'ANLZ0000.EXT'],
  demo1Rekordcrate: [...REKORDCRATE, 'P016', '0000875E', 'ANLZ0000.EXT'],
  demo1Dat: [...EXPORT, 'P016', '0000875E', 'ANLZ0000.DAT'],
  demo2Export: [...EXPORT, 'P053', '0001D21F', 'ANLZ0000.EXT'],
  demo2Local: [...RB6_LOCAL, '36d', 'ad2b4-5d4e-4b94-9a5d-a5bb241aee4b', 'ANLZ0000.EXT'],
  demo2Rekordcrate: [...REKORDCRATE, 'P053', '0001D21F', 'ANLZ0000.EXT'],
} as const;

/** rekordbox 5 local analysis of Demo Tracks 1 and 2: beat grid, but no PSSI. */
export const RB5_DEMO_EXT: readonly (readonly string[])[] = ['P068/00012CA2', 'P035/00027763'].map((dir) => [
  ...RB5_LOCAL,
  ...dir.split('/'),
  'ANLZ0000.EXT',
]);

/** HORN, NOISE, SINEWAVE, SIREN: exported, rekordbox-6 and rekordbox-5 local copies; no beat grid, no PSSI. */
export const SAMPLER_EXT: readonly (readonly string[])[] = [
  ...['P002/00009C2E', 'P02B/00023587', 'P038/0002AAA0', 'P076/00013B6E'].map((dir) => [
    ...RB5_LOCAL,
    ...dir.split('/'),
    'ANLZ0000.EXT',
  ]),
  [...EXPORT, 'P021', '00006D2B', 'ANLZ0000.EXT'],
  [...EXPORT, 'P019', '00020AA9', 'ANLZ0000.EXT'],
  [...EXPORT, 'P043', '00011517', 'ANLZ0000.EXT'],
  [...EXPORT, 'P017', '00009B77', 'ANLZ0000.EXT'],
  [...RB6_LOCAL, '003', 'c9538-33bc-4ca7-b6c7-e63ebf9a96f8', 'ANLZ0000.EXT'],
  [...RB6_LOCAL, '104', 'c82cc-661c-4f30-ab60-51ce1effeeed', 'ANLZ0000.EXT'],
  [...RB6_LOCAL, '731', '0104f-53cb-453e-8b83-e0dfd5cff825', 'ANLZ0000.EXT'],
  [...RB6_LOCAL, 'c8b', 'ac74a-bbfc-4fce-8fb8-50aa4e974273', 'ANLZ0000.EXT'],
];

/** beat-link-trigger sample track 2: a HIGH-mood PSSI body (no 12-byte tag prefix). */
export const HIGH_BODY = [
  'Deep-Symmetry__beat-link-trigger',
  'resources',
  'beat_link_trigger',
  'sampleTracks',
  '2',
  'song-structure.kaitai',
] as const;

export function readAnlz(parts: readonly string[]): Buffer {
  return readFixture(...parts);
}

/** PROVENANCE §6 oracle, `index:beat:kind` with the raw kind id. */
export const DEMO1_PHRASES =
  '1:1:9 2:37:2 3:73:2 4:121:3 5:129:4 6:141:5 7:161:4 8:173:5 9:193:6 10:201:8 11:209:6 ' +
  '12:225:6 13:241:8 14:257:9 15:273:9 16:289:9 17:305:9 18:321:9 19:337:9';

export const DEMO2_PHRASES = '1:1:1 2:33:2 3:61:3 4:93:3 5:109:4 6:125:8 7:157:8 8:173:5 9:189:6 10:205:5 11:221:10';

/** PROVENANCE §7 oracle: `index:beat:kind[/f fill-beat][/k k1k2k3][/b beat2,beat3,beat4]`. */
export const HIGH_PHRASES =
  '1:1:1 2:21:2 3:37:5/k100 4:53:5/k100 5:65:2/k010/b69,69,77 6:85:5/k100 7:181:5/k100 ' +
  '8:197:5/f225 9:229:2 10:245:5/f323/k100 11:325:5/k100 12:341:5/k100 13:357:5 14:389:3 15:401:6/k100';
