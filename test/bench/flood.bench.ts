/**
 * npm run bench:flood — the show under fire (test/flood/run-flood.ts) at full
 * size: FLOOD_DATAGRAMS (default 1,000,000) mutated and spoofed datagrams at
 * full speed into a running bridge while the simulated OPUS-QUAD plays, over
 * real UDP in network namespaces (root, iproute2 and a built dist/ needed).
 * Prints the show's events against the truth, what the garbage achieved,
 * memory and log lines.
 */
import { describeFlood, floodFigures } from '../flood/flood-figures';
import { runFlood } from '../flood/run-flood';
import { netnsUnavailableReason } from '../support/netns';

async function main(): Promise<void> {
  const reason = netnsUnavailableReason();
  if (reason !== null) {
    console.log(`bench:flood skipped: ${reason}`);
    return;
  }
  const datagrams = Number(process.env['FLOOD_DATAGRAMS'] ?? 1_000_000);
  const runMs = Number(process.env['FLOOD_RUN_MS'] ?? 40_000);
  const run = await runFlood({ datagrams, distinct: 200_000, seed: 11, floodAfterMs: 6000, runMs });
  console.log(describeFlood(floodFigures(run)));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
