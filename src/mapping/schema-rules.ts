/**
 * Rules: on an event (`on:`), when the conditions hold (`when:`), send the
 * actions (`send:`). The closed sets here (phrase kinds, moods, banks, decks,
 * beats in a bar) come from the code that produces those values.
 */
import { z } from 'zod';
import { BANKS, MOODS, PHRASE_KINDS as KINDS, type Bank, type PhraseKind } from '../prolink/phrases/song-structure';
import { PHRASE_KINDS as PHRASE_CONDITION_VALUES } from './scopes';
import { DECK_NUMBERS, DURATION_FORMS, deckNumber, documentedEnum, duration, oneOrMany } from './schema-values';
import { CONFIRMABLE_EVENTS, COUNTABLE_EVENTS, EVENT_DESCRIPTIONS, EVENT_NAMES, MAX_LEAD_MS, PREDICTABLE_EVENTS } from './schema-events';
import { actionSchema } from './schema-actions';
import { allOf, excludes, onlyOnEvents } from './schema-editor-checks';
import { TRACK_COLORS } from './track-conditions';

/** Beat numbers within a bar, as decks count them (4/4; 1 is the downbeat). */
export const BEATS_IN_BAR = [1, 2, 3, 4] as const;
/** Deck selector words, besides deck numbers. */
export const DECK_WORDS = ['master', 'any'] as const;

const PHRASE_DESCRIPTIONS: Readonly<Record<PhraseKind, string>> = {
  intro: 'Intro, in every mood (high mood labels it Intro 1 or Intro 2).',
  up: 'Up 1, Up 2 or Up 3 (high mood).',
  down: 'Down (high mood).',
  verse1: 'Verse 1 (mid and low mood).',
  verse1b: 'Low mood: the second phrase id that rekordbox also labels Verse 1.',
  verse1c: 'Low mood: the third phrase id that rekordbox also labels Verse 1.',
  verse2: 'Verse 2 (mid and low mood).',
  verse2b: 'Low mood: the second phrase id that rekordbox also labels Verse 2.',
  verse2c: 'Low mood: the third phrase id that rekordbox also labels Verse 2.',
  verse3: 'Verse 3 (mid mood).',
  verse4: 'Verse 4 (mid mood).',
  verse5: 'Verse 5 (mid mood).',
  verse6: 'Verse 6 (mid mood).',
  bridge: 'Bridge (mid and low mood).',
  chorus: 'Chorus, in every mood (high mood labels it Chorus 1 or Chorus 2).',
  outro: 'Outro, in every mood (high mood labels it Outro 1 or Outro 2).',
  unknown: 'A phrase whose kind the analysis does not tell (an unknown mood or kind id).',
};
/** Families that are not a kind of their own. */
const FAMILY_DESCRIPTIONS: Readonly<Record<string, string>> = {
  verse: 'Every verse: verse1 … verse6 and the low-mood variants verse1b, verse1c, verse2b, verse2c.',
};

function isPhraseKind(value: string): value is PhraseKind {
  return (KINDS as readonly string[]).includes(value);
}

/** What each value a `phrase:` condition accepts means, in the order of the list the loader checks against. */
const PHRASE_CONDITION_DESCRIPTIONS: readonly (string | undefined)[] = PHRASE_CONDITION_VALUES.map((value) =>
  isPhraseKind(value) ? PHRASE_DESCRIPTIONS[value] : FAMILY_DESCRIPTIONS[value],
);

const MOOD_DESCRIPTIONS: Readonly<Record<(typeof MOODS)[number], string>> = {
  high: 'High mood: phrases are Intro, Up, Down, Chorus and Outro.',
  mid: 'Mid mood: phrases are Intro, Verse 1–6, Bridge, Chorus and Outro.',
  low: 'Low mood: phrases are Intro, Verse 1, Verse 2, Bridge, Chorus and Outro.',
};

const BANK_DESCRIPTIONS: Readonly<Record<Exclude<Bank, 'unknown'>, string>> = {
  default: 'The default bank (rekordbox treats it as Cool).',
  cool: 'The Cool bank.',
  natural: 'The Natural bank.',
  hot: 'The Hot bank.',
  subtle: 'The Subtle bank.',
  warm: 'The Warm bank.',
  vivid: 'The Vivid bank.',
  club1: 'The Club 1 bank.',
  club2: 'The Club 2 bank.',
};

const deckSelector = z.union(
  [
    documentedEnum(DECK_WORDS, { master: 'The deck that is tempo master now.', any: 'Any deck (the same as leaving deck out).' }),
    deckNumber,
    z.array(deckNumber).min(1),
  ],
  { error: `must be master, any, a deck number from 1 to ${DECK_NUMBERS.length}, or a list of deck numbers` },
);

/**
 * Any text to zod: the compiler checks phrase names against the same list and
 * answers a typo with "did you mean". Editors get the list as an enum.
 */
const phraseValue = z
  .string()
  .min(1)
  .meta({ enum: PHRASE_CONDITION_VALUES, enumDescriptions: PHRASE_CONDITION_DESCRIPTIONS });

/** Text conditions on the deck's library track: exact (ignoring case) or /regex/flags, one or a list. */
function trackText(field: string, examples: readonly string[]): z.ZodOptional<z.ZodType<string | string[]>> {
  return oneOrMany(z.string().min(1), `the track's ${field}, or a /regular expression/`)
    .optional()
    .describe(
      `The ${field} of the deck's track from the DJ's USB export: the whole text (upper or lower case alike), a /regular expression/ with optional flags such as /i, or a list of them. Needs the library (run --library); a deck whose track is not in it never matches.`,
    )
    .meta({ examples });
}

/** Any text to zod: the compiler checks colour names (ignoring case). Editors get the list as an enum. */
const trackColor = z
  .string()
  .min(1)
  .meta({ enum: TRACK_COLORS, enumDescriptions: TRACK_COLORS.map((c) => `rekordbox's ${c} track colour.`) });

export const conditionSchema = z
  .strictObject({
    deck: deckSelector
      .optional()
      .describe(`The deck the event concerns: a deck number 1–${DECK_NUMBERS.length}, a list such as [1, 2], master (the tempo master now) or any (the default).`)
      .meta({ examples: ['master', 1, [1, 2]] }),
    onAir: z.boolean().optional().describe("true: only while the deck's channel is on air at the mixer; false: only while it is not."),
    playing: z.boolean().optional().describe('true: only while the deck plays; false: only while it does not.'),
    bpm: z
      .strictObject({
        min: z.number().positive().optional().describe('The lowest effective BPM that matches (inclusive).'),
        max: z.number().positive().optional().describe('The highest effective BPM that matches (inclusive).'),
      })
      .optional()
      .describe("The deck's effective BPM (track BPM × pitch) must be in this range, both ends included.")
      .meta({ examples: [{ min: 120, max: 130 }] }),
    beatInBar: oneOrMany(z.literal(BEATS_IN_BAR), 'a beat within the bar from 1 to 4')
      .optional()
      .describe('The beat within the bar, 1–4 (1 is the downbeat), or a list such as [1, 3].')
      .meta({ examples: [1, [1, 3]] }),
    phrase: oneOrMany(phraseValue, 'a phrase kind')
      .optional()
      .describe('The phrase kind (intro, up, down, verse1 … verse6, bridge, chorus, outro), a family (verse matches every verse), or a list of them.')
      .meta({ examples: ['chorus', ['verse', 'bridge']] }),
    label: oneOrMany(z.string().min(1), 'a phrase label')
      .optional()
      .describe('The phrase label as rekordbox shows it, e.g. "Verse 2" or "Up 3" (upper or lower case alike), or a list.')
      .meta({ examples: ['Verse 2', ['Up 2', 'Up 3']] }),
    mood: oneOrMany(documentedEnum(MOODS, MOOD_DESCRIPTIONS), 'high, mid or low')
      .optional()
      .describe("The track's phrase mood from rekordbox's analysis: high, mid or low, or a list."),
    bank: oneOrMany(documentedEnum(BANKS, BANK_DESCRIPTIONS), `one of ${BANKS.join(', ')}`)
      .optional()
      .describe("The track's lighting bank from rekordbox's phrase analysis, or a list."),
    cue: oneOrMany(z.string().min(1), 'a cue name or /regex/')
      .optional()
      .describe('Rules on cue only: the name of the memory cue or hot cue as typed in rekordbox (upper or lower case alike), a /regular expression/ (flags after the last slash), or a list.')
      .meta({ examples: ['DROP', '/^break/i', ['DROP', 'BUILD']] }),
    cueKind: oneOrMany(documentedEnum(['memory', 'hot'], { memory: 'A memory cue (or memory loop) placed in rekordbox.', hot: 'A hot cue (A, B, C …) placed in rekordbox.' }), 'memory or hot')
      .optional()
      .describe('Rules on cue only: memory cues, hot cues, or a list.')
      .meta({ examples: ['hot'] }),
    trackId: oneOrMany(z.number().int().min(0), 'a track ID')
      .optional()
      .describe("The rekordbox ID of the deck's track (event.trackId and deck.trackId show it), or a list.")
      .meta({ examples: [184, [184, 2051]] }),
    title: trackText('title', ['Demo Track 1', '/^intro edit/i']),
    artist: trackText('artist', ['Loopmasters', '/daft punk|justice/i']),
    album: trackText('album', ['Discovery']),
    genre: trackText('genre', ['Techno', '/house$/i']),
    comment: trackText('comment', ['/\\bbanger\\b/i']),
    color: oneOrMany(trackColor, 'a rekordbox colour name')
      .optional()
      .describe(`The track colour set in rekordbox (${TRACK_COLORS.join(', ')}; upper or lower case alike), or a list. Needs the library (run --library).`)
      .meta({ examples: ['Red', ['Pink', 'Purple']] }),
    expr: z
      .string()
      .min(1)
      .optional()
      .describe('An expression that must come out true; it can read deck, master, phrase and event.')
      .meta({ examples: ['deck.bpm > 125 && phrase.bars >= 8', 'not event.late'] }),
  })
  .describe('Conditions that must all hold for the rule to fire; a key left out accepts anything.');

const listed = (events: readonly string[]): string => events.join(', ');

export const ruleSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('A name for the rule in logs and the monitor. Default: its file and line.').meta({ examples: ['chorus look'] }),
    enabled: z.boolean().default(true).describe('false switches the rule off without deleting it. Default true.'),
    on: documentedEnum(EVENT_NAMES, EVENT_DESCRIPTIONS).describe('The event that fires the rule.'),
    when: conditionSchema.optional(),
    every: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        `Fire on every Nth event only: beats and bars count on the track's beat grid (every: 4 on bar fires on bars 1, 5, 9 …), phrase events one by one. Only on ${listed(COUNTABLE_EVENTS)}.`,
      )
      .meta({ examples: [4, 8] }),
    throttle: duration
      .optional()
      .describe(`Fire at most once per this interval; events in between are skipped. ${DURATION_FORMS}.`)
      .meta({ examples: ['100ms', '1s'] }),
    lead: duration
      .optional()
      .describe(
        `Fire this much before the predicted beat or phrase change, to make up for a device's own latency; at most ${MAX_LEAD_MS / 1000}s. Only on ${listed(PREDICTABLE_EVENTS)}; not with confirm. ${DURATION_FORMS}.`,
      )
      .meta({ examples: ['80ms', '40ms'] }),
    confirm: z
      .boolean()
      .default(false)
      .describe(
        `true: fire only once a status packet shows the deck really got there (up to ~200 ms late); a predicted beat or phrase change the deck skips (a jump, a stop) never fires. Only on ${listed(CONFIRMABLE_EVENTS)}; not with lead. Default false.`,
      ),
    send: z.array(actionSchema).min(1).describe('The messages to send when the rule fires, in order: each one is an osc, midi or ws message.'),
  })
  .describe('One rule: when the event in on: happens and every condition in when: holds, send the messages in send:.')
  .meta(
    allOf(
      onlyOnEvents('every', COUNTABLE_EVENTS, `every only applies to ${listed(COUNTABLE_EVENTS)}`),
      onlyOnEvents('lead', PREDICTABLE_EVENTS, `lead only applies to predictable events: ${listed(PREDICTABLE_EVENTS)}`),
      onlyOnEvents('confirm', CONFIRMABLE_EVENTS, `confirm only applies to ${listed(CONFIRMABLE_EVENTS)}, whose events can be predicted ahead of the deck`, false),
      excludes('lead', 'confirm', false, 'confirm waits for the deck to show the event happened, lead fires before it: a rule takes one or the other'),
    ),
  );
