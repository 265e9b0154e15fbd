/**
 * Text for people: the summary of a library scan and the tracks `library
 * show` finds. Pure: catalogue data in, lines out.
 */
import type { CatalogueData, Duplicate } from '../library/catalogue';
import type { LibraryCue, LibraryTrack } from '../library/library-track';

/** How many entries of a long list are printed before "… and N more". */
export const LIST_LIMIT = 10;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** m:ss, or h:mm:ss from an hour. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** m:ss.mmm */
export function formatCueTime(ms: number): string {
  const whole = Math.floor(ms / 1000);
  return `${formatDuration(whole)}.${String(Math.round(ms - whole * 1000)).padStart(3, '0')}`;
}

function limited<T>(items: readonly T[], line: (item: T) => string, where: string): string[] {
  const shown = items.slice(0, LIST_LIMIT).map((item) => `  ${line(item)}`);
  if (items.length > LIST_LIMIT) shown.push(`  … and ${items.length - LIST_LIMIT} more, ${where}`);
  return shown;
}

function duplicateLine(d: Duplicate): string {
  const first = d.tracks[0];
  const title = first === undefined ? '' : JSON.stringify(first.title);
  const where = d.tracks.map((t) => `${t.exportRoot} #${t.id}`).join(', ');
  return d.kind === 'same-id' ? `rekordbox ID ${first?.id ?? '?'} twice in one export: ${where}` : `${title} is on ${d.tracks.length} exports: ${where}`;
}

/** The human summary of a scan. `where` says where the full lists can be read. */
export function summaryLines(data: CatalogueData, where: string): string[] {
  const s = data.summary;
  const lines = [`Scanned ${plural(s.exports, 'export')}:`];
  for (const e of data.exports) lines.push(`  ${e.root}: ${plural(e.tracks, 'track')}`);
  lines.push(
    `${plural(s.tracks, 'track')}: ${s.withTitles} with titles, ${s.withGrids} with beat grids, ${s.withCues} with cues, ${s.withPhrases} with phrases`,
  );
  if (s.missingAnalysis.length === 0) lines.push('Analysis files: all present');
  else {
    lines.push(`Missing analysis: ${plural(s.missingAnalysis.length, 'track')} ha${s.missingAnalysis.length === 1 ? 's' : 've'} no analysis file on the export (no beat grid, cues or phrases):`);
    lines.push(...limited(s.missingAnalysis, (m) => `${JSON.stringify(m.title)} #${m.id}: ${m.analyzePath === '' ? 'export.pdb names no analysis file' : m.analyzePath}`, where));
  }
  if (s.duplicates.length === 0) lines.push('Duplicates: none');
  else {
    lines.push(`Duplicates: ${s.duplicates.length}`);
    lines.push(...limited(s.duplicates, duplicateLine, where));
  }
  if (s.unreadable.length === 0) lines.push('Unreadable files: none');
  else {
    lines.push(`Unreadable files: ${s.unreadable.length}`);
    lines.push(...limited(s.unreadable, (u) => u.error, where));
  }
  if (s.problems.length > 0) {
    lines.push(`Other problems: ${s.problems.length}`);
    lines.push(...limited(s.problems, (p) => p, where));
  }
  return lines;
}

function cueLine(cue: LibraryCue): string {
  const which = cue.kind === 'hot' ? `hot cue ${cue.hotCueLetter ?? cue.hotCue ?? '?'}` : 'memory cue';
  const loop = cue.loopEndMs === null ? '' : ` loop to ${formatCueTime(cue.loopEndMs)}`;
  const name = cue.name === '' ? '' : ` ${JSON.stringify(cue.name)}`;
  return `    ${formatCueTime(cue.timeMs)}  ${which}${loop}${name}`;
}

function orDash(text: string): string {
  return text === '' ? '–' : text;
}

/** What `library show` prints for one track. */
export function trackLines(track: LibraryTrack): string[] {
  const phrases = track.phrases === null ? 'no phrases' : `${plural(track.phrases.phrases.length, 'phrase')} (${track.phrases.mood} mood)`;
  return [
    `${track.title === '' ? '(no title)' : track.title} — ${orDash(track.artist)}`,
    `  album ${orDash(track.album)} · ${track.bpm.toFixed(2)} BPM · ${formatDuration(track.durationSeconds)} · key ${orDash(track.key)}`,
    `  beat grid: ${plural(track.grid.length, 'beat')} · ${phrases} · ${plural(track.cues.length, 'cue')}`,
    ...track.cues.map(cueLine),
    `  rekordbox ID ${track.id}${track.deviceLibraryId === undefined ? '' : ` (Device Library Plus ID ${track.deviceLibraryId})`} on ${track.source.exportRoot}`,
  ];
}
