/**
 * Targets: the named places messages go (an OSC receiver, a MIDI output, a
 * WebSocket server for dashboards). Rules, clock and timecode name them in
 * `to:`.
 */
import { z } from 'zod';
import { durationMs } from './durations';
import { DURATION_FORMS, documentedEnum, duration, host, port } from './schema-values';
import { allOf, exactlyOneOf, ifGiven } from './schema-editor-checks';

/** Bounds of an OSC target's `deadline` (ms). */
export const MIN_DEADLINE_MS = 1;
export const MAX_DEADLINE_MS = 60_000;
/** Bounds of a heartbeat's `every` and `stale` (ms). */
export const MIN_HEARTBEAT_MS = 10;
export const MAX_HEARTBEAT_MS = 60_000;
/** A heartbeat's `every` when not given. */
export const DEFAULT_HEARTBEAT_EVERY = '1s';
/** `stale` when not given: this many times `every`. */
export const DEFAULT_STALE_FACTOR = 1.5;
/** An OSC address as a heartbeat sends or expects it: a "/" and no spaces or pattern characters. */
export const OSC_ADDRESS_PATTERN = '^/[^\\s#*,?\\[\\]{}]*$';
/** An origin as browsers send it (scheme://host[:port]), or localhost, null or *. */
export const ORIGIN_PATTERN = '^(localhost|null|\\*|[A-Za-z][A-Za-z0-9+.-]*://[^/\\s?#]+)$';

export const OSC_PROTOCOLS = ['udp', 'tcp'] as const;
export const TARGET_KINDS = ['osc', 'midi', 'websocket'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

const PASSCODE_NEEDS_TCP = 'a passcode needs protocol: tcp (QLab only accepts /connect over TCP)';
export const HEARTBEAT_NEEDS_TCP = 'a heartbeat needs protocol: tcp (the replies come back on the same connection)';
export const STALE_NOT_LONGER = 'stale must be longer than every: a reply can only come after the heartbeat it answers';
const ONE_TARGET_KIND = 'a target needs exactly one of osc, midi or websocket';
const ONE_MIDI_PORT = 'a midi target needs exactly one of port (an existing output) or virtual (a port to create)';

const heartbeatDuration = duration.refine((d) => !(durationMs(d) < MIN_HEARTBEAT_MS || durationMs(d) > MAX_HEARTBEAT_MS), { error: 'must be from 10ms to 60s' });
const oscAddress = z.string().regex(new RegExp(OSC_ADDRESS_PATTERN), 'must be an OSC address: a "/" followed by no spaces and none of # * , ? [ ] { }');

const heartbeat = z
  .strictObject({
    address: oscAddress
      .describe('The message sent as the heartbeat, without arguments. It must be harmless, since a receiver that wakes from a freeze may act on a backlog of them: /thump for QLab (a heartbeat that only answers).')
      .meta({ examples: ['/thump', '/version'] }),
    reply: oscAddress
      .optional()
      .describe('The address of the answer that proves the receiver is alive. Default /reply followed by address, as QLab answers (/thump → /reply/thump).')
      .meta({ examples: ['/reply/thump'] }),
    every: heartbeatDuration
      .default(DEFAULT_HEARTBEAT_EVERY)
      .describe(`How often the heartbeat is sent. Default 1s, from 10ms to 60s. ${DURATION_FORMS}.`)
      .meta({ examples: ['1s', '250ms'] }),
    stale: heartbeatDuration
      .optional()
      .describe(
        `When the last answer is older than this, the receiver counts as not answering: its messages are dropped and reported, never left to fire late. Longer than every; default one and a half times every. ${DURATION_FORMS}.`,
      )
      .meta({ examples: ['1.5s', '400ms'] }),
  })
  .describe(
    'Ask the receiver for an answer on the TCP connection every so often, and drop its messages while it does not answer (an application that hangs while its computer still accepts the data would otherwise fire them all late when it wakes). Needs protocol: tcp.',
  );

const oscTarget = z
  .strictObject({
    host: host
      .default('127.0.0.1')
      .describe('The computer that receives the OSC: a host name or IPv4 address. Default 127.0.0.1, this machine.')
      .meta({ examples: ['127.0.0.1', '192.168.1.20'] }),
    port: port
      .describe('The port the receiving program listens on for OSC, e.g. 53000 for QLab, 7000 for Resolume, 8000 for grandMA3 or MagicQ.')
      .meta({ examples: [53000, 7000, 8000] }),
    protocol: documentedEnum(OSC_PROTOCOLS, {
      udp: 'Plain OSC datagrams: what most programs listen for.',
      tcp: 'OSC over a TCP connection with SLIP framing, as QLab accepts it; needed for a passcode.',
    })
      .default('udp')
      .describe('How the messages travel: udp (the default) or tcp (SLIP framing, as QLab uses).'),
    passcode: z
      .string()
      .optional()
      .describe('The QLab workspace passcode, sent as /connect <passcode> on every TCP connection. Needs protocol: tcp.'),
    deadline: duration
      .refine((d) => !(durationMs(d) < MIN_DEADLINE_MS || durationMs(d) > MAX_DEADLINE_MS), { error: 'must be from 1ms to 60s' })
      .optional()
      .describe(`A message that cannot leave within this time is dropped and reported, never sent late. Default 1s, from 1ms to 60s. ${DURATION_FORMS}.`)
      .meta({ examples: ['1s', '250ms'] }),
    heartbeat: heartbeat.optional(),
  })
  .describe('Send OSC to a program (QLab, Resolume, TouchDesigner, grandMA3, MagicQ …).')
  .meta(allOf(ifGiven('passcode', { protocol: 'tcp' }, PASSCODE_NEEDS_TCP), ifGiven('heartbeat', { protocol: 'tcp' }, HEARTBEAT_NEEDS_TCP)));

const midiTarget = z
  .strictObject({
    port: z
      .string()
      .min(1)
      .optional()
      .describe('An existing MIDI output: its exact name, or /regex/flags to match one. `prolink-bridge midi-ports` lists the outputs of this machine.')
      .meta({ examples: ['/MagicQ|ChamSys/i', 'IAC Driver Bus 1'] }),
    virtual: z
      .string()
      .min(1)
      .optional()
      .describe('Create a virtual MIDI output with this name, for other programs on this machine to open (Linux, macOS).')
      .meta({ examples: ['prolink-bridge'] }),
  })
  .describe('Send MIDI (notes, CC, program changes, clock, timecode) to a MIDI output: one of port or virtual.')
  .meta(exactlyOneOf(['port', 'virtual'], ONE_MIDI_PORT));

const websocketTarget = z
  .strictObject({
    host: host
      .default('127.0.0.1')
      .describe('The address the WebSocket server listens on: 127.0.0.1 (the default) for this machine only, 0.0.0.0 for every network interface.')
      .meta({ examples: ['127.0.0.1', '0.0.0.0'] }),
    port: port
      .default(8080)
      .describe('The port the WebSocket server listens on; clients connect to ws://<this machine>:<port>. Default 8080.'),
    relayRaw: z
      .boolean()
      .default(false)
      .describe('Also relay the raw status packets as binary frames, as the original OPUS-QUAD script did. Default false.'),
    origins: z
      .array(
        z
          .string()
          .regex(new RegExp(ORIGIN_PATTERN), 'must be an origin such as http://192.168.1.20:8000, or localhost, null or *')
          .describe('An origin (scheme://host:port), localhost, null (pages opened from a file) or * (any page).'),
      )
      .min(1)
      .optional()
      .describe(
        'The web pages allowed to connect, by origin (scheme://host:port): localhost means any page served from this machine, null pages opened from a file, * any page. Default [localhost]. Clients that send no Origin (scripts, show tools) are always allowed.',
      )
      .meta({ examples: [['localhost', 'http://192.168.1.20:8000']] }),
  })
  .describe('Run a WebSocket server that sends events as JSON to every connected client (dashboards, web pages, scripts).');

export const targetSchema = z
  .strictObject({ osc: oscTarget.optional(), midi: midiTarget.optional(), websocket: websocketTarget.optional() })
  .describe('A destination for messages: exactly one of osc, midi or websocket.')
  .meta(exactlyOneOf(TARGET_KINDS, ONE_TARGET_KIND));

/** Letters, digits, _ and -, starting with a letter or _. */
export const TARGET_NAME_PATTERN = /^[A-Za-z_][\w-]*$/;
