/**
 * Engine-only allocation per event, with and without world.positionOf (the
 * app sets it; the section-3 harness does not): events and worlds recorded
 * from the stream layer, then run through runEvent in chunks between forced GCs.
 *   node --expose-gc build/bench/test/bench/engine-alloc-probe.js
 */
import { Subject, VirtualTimeScheduler } from 'rxjs';
import { createBridgeStreams } from '../../src/streams/bridge-streams';
import type { TimedDatagram } from '../../src/streams/received';
import { PORT_STATUS } from '../../src/prolink/packets/header';
import { initialMemory, runEvent } from '../../src/mapping/engine';
import { worldOf } from '../../src/app/world';
import type { World } from '../../src/mapping/expression-context';
import type { BridgeEvent } from '../../src/events/bridge-event';
import { OpusStatusBuilder } from './mapping-status';
import { compileBenchMapping } from './mapping.bench';

const gc = (globalThis as { gc?: () => void }).gc as () => void;
const builder = new OpusStatusBuilder();
const scheduler = new VirtualTimeScheduler(undefined, Infinity);
const input = new Subject<TimedDatagram>();
const streams = createBridgeStreams(input, { scheduler });
let world: World = { decks: new Map(), masterDeck: null };
const recorded: { event: BridgeEvent; world: World }[] = [];
const subscriptions = [worldOf(streams.decks$, streams.master$).subscribe((w) => (world = w)), streams.events$.subscribe((event) => recorded.push({ event, world }))];
const offsets = [0, 97, 194, 291];
for (let n = 0; n < 4000; n++) {
  const deck = (n % 4) + 1;
  const at = n * 50;
  scheduler.schedule(() => {
    const beat = 1 + Math.floor((at + (offsets[deck - 1] ?? 0)) / 480);
    input.next({ port: PORT_STATUS, address: '127.0.0.1', data: builder.build({ deck, trackId: 5000 + deck, bpmRaw: 12_400 + (Math.floor(n / 4) % 200), beat, master: deck === 1 }), at });
  }, at);
}
// Stops the streams' interval timers, so the virtual clock runs out.
scheduler.schedule(() => subscriptions.forEach((s) => s.unsubscribe()), 4000 * 50);
scheduler.flush();
const { mapping } = compileBenchMapping();
const position = { positionMs: 1234.5, timelineMs: 1234.5, timecode: '00:00:01:05', rate: 1, beat: 3.2, estimated: true };
for (const withPosition of [false, true, false, true]) {
  const items = recorded.map((r) => ({ event: r.event, world: withPosition ? { ...r.world, positionOf: () => position } : r.world }));
  let memory = initialMemory(mapping);
  const per: number[] = [];
  for (let start = 0; start + 100 <= items.length; start += 100) {
    gc();
    const h0 = process.memoryUsage().heapUsed;
    for (let i = start; i < start + 100; i++) {
      const it = items[i] as (typeof items)[number];
      memory = runEvent(mapping, it.event, it.world, memory, { memoryOwned: true }).memory;
    }
    per.push((process.memoryUsage().heapUsed - h0) / 100);
  }
  per.sort((a, b) => a - b);
  console.log(`${withPosition ? 'with positionOf   ' : 'without positionOf'} median ${Math.round(per[per.length >> 1] ?? 0)} bytes/event over ${items.length} events`);
}
