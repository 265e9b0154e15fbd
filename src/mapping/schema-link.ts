/**
 * The mapping's `link:` key: an Ableton Link session that follows a deck's
 * tempo and beat phase (src/app/link-output.ts). The native module it needs
 * is optional; without it, `link:` is reported in one sentence and the rest
 * of the mapping runs.
 */
import { z } from 'zod';
import { DECK_NUMBERS, deckNumber, documentedEnum } from './schema-values';

export const LINK_QUANTA = [1, 2, 4, 8, 16] as const;

export const linkSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Join the Link session (true, the default) or not, without removing the settings.'),
    follow: z
      .union([documentedEnum(['master'], { master: 'The deck that is tempo master now, switching when the master changes.' }), deckNumber], {
        error: `must be master or a deck number from 1 to ${DECK_NUMBERS.length}`,
      })
      .default('master')
      .describe('The deck whose tempo and beats the Link session follows: master (the default) or a deck number.'),
    quantum: z
      .literal(LINK_QUANTA, { error: `must be one of: ${LINK_QUANTA.join(', ')}` })
      .default(4)
      .describe("Beats per Link phase cycle (Link's quantum): 4 (the default) puts the downbeat of the deck's bars on Link's bar; Live and Resolume should use the same."),
    startStopSync: z
      .boolean()
      .default(false)
      .describe("Start and stop the session with the deck's play state (Link start/stop sync; peers must turn it on too). Default false."),
  })
  .describe(
    "An Ableton Link session that follows a deck: its tempo, and its beat phase with bar 1 of the deck's grid on Link's downbeat. Peers' tempo changes are set back: the DJ leads. Needs the optional module abletonlink.",
  );

export type LinkConfig = z.output<typeof linkSchema>;
