/**
 * One row per network output of the mapping: each Art-Net timecode entry
 * (frames sent, failed, last timecode) and the Ableton Link session (state,
 * peers, the tempo it is handed). No rows when the mapping has neither.
 */
import type { ArtnetTimecodeStatus } from '../../app/artnet-timecode-outputs';
import type { LinkStatus } from '../../app/link-output';
import type { NetworkOutputs } from '../monitor-state';
import { formatBpm, NONE } from './format';
import { cutLine, seg, type Line, type Segment } from './styled-line';

function followed(follow: number | 'master'): string {
  return follow === 'master' ? 'master' : `deck ${follow}`;
}

function artnetRow(o: ArtnetTimecodeStatus): Line {
  const state: Segment = o.running ? seg('running', 'green') : seg('stopped', 'dim');
  return [
    seg(o.label, 'bold'),
    seg(' follows ', 'dim'),
    seg(followed(o.follow)),
    seg('  '),
    state,
    seg('  tc ', 'dim'),
    seg(o.last ?? NONE),
    seg('  sent ', 'dim'),
    seg(String(o.sent)),
    seg('  failed ', 'dim'),
    seg(String(o.failed), o.failed > 0 ? 'yellow' : null),
  ];
}

const LINK_STATES: Record<LinkStatus['state'], Segment> = {
  starting: seg('starting', 'dim'),
  joined: seg('joined', 'green'),
  retrying: seg('failed, retrying', 'yellow'),
  unavailable: seg('unavailable', 'yellow'),
};

function linkRow(l: LinkStatus): Line {
  return [
    seg('ableton link', 'bold'),
    seg(' follows ', 'dim'),
    seg(followed(l.follow)),
    seg('  '),
    LINK_STATES[l.state],
    seg('  peers ', 'dim'),
    seg(l.peers === null ? NONE : String(l.peers)),
    seg('  tempo ', 'dim'),
    seg(`${formatBpm(l.tempo)} BPM`),
  ];
}

/** The output rows, each cut to `width`. */
export function outputRows(outputs: NetworkOutputs, width: number): Line[] {
  const rows = [...outputs.artnetTimecode.map(artnetRow), ...(outputs.link === null ? [] : [linkRow(outputs.link)])];
  return rows.map((row) => cutLine(row, width));
}
