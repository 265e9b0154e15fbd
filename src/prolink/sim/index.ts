/**
 * The built-in simulator: a virtual OPUS-QUAD, and a virtual CDJ pair with a
 * DJM mixer, that are real Pro DJ Link peers. They speak the protocol byte for
 * byte (their packets decode with the bridge's own codec), answer the bridge's
 * handshakes and requests, and follow a scenario of DJ actions in time, while
 * keeping the exact truth (beat times, playheads, master) for comparison.
 *
 * In-process, for `npm start` on any machine without privileges:
 *
 *   const clock = realClock;                       // or new VirtualClock() in tests
 *   const lan = new VirtualLan({ clock });
 *   const sim = await startSimulator({ scenario: BUILTIN_SCENARIOS.get('club')!, transport: { kind: 'lan', lan }, clock });
 *   if (!('truth' in sim)) throw new Error(sim.message);   // ScenarioError | NetworkError
 *   const bridge = lan.join({ address: '169.254.1.2', onDatagram: (d) => ... });   // a UdpSockets look-alike
 *   // ProlinkSession identity: { address: bridge.address, mac: bridge.mac, broadcast: bridge.broadcast, hostName }
 *   ...
 *   await sim.stop();
 *
 * Standalone, on real UDP ports 50000–50002 of one interface (a machine or a
 * network namespace of its own): `runSimulatorCli(['--interface', 'eth0', '--scenario', 'club'], io)`,
 * or startSimulator with `transport: { kind: 'udp', host: { address, mac, broadcast } }`.
 *
 * startSimulator({ scenario, transport, clock?, seed?, onEvent?, readFile?, readLibrary?, tuning? })
 *   → Promise<RunningSimulator | ScenarioError | NetworkError>
 * RunningSimulator: { scenario (as played: library tracks read), rig, devices, truth, runner, addresses, stop(): Promise<void> }
 *   truth.beats(deck, from, to)  exact beat instants;  truth.deck(n).stateAt(t);  truth.masterAt(t);  truth.events
 *
 * Scenarios (scenario.ts): plain data with timed steps (load, play, stop,
 * pitch with optional ramp, jump, beatJump, master, loop/exitLoop, opusRestart, repeat);
 * built in: "club" (OPUS-QUAD) and "cdj-pair". `library:` plays tracks of a
 * real USB export by title; `cues:` puts cues on tracks (show-truth has them).
 */
export { realClock, VirtualClock, type SimClock } from './clock';
export { seededRandom, type Random } from './random';
export * from './encode';
export { SimDeck, type DeckState, type TrueBeat } from './deck/deck';
export type { SimTrack } from './deck/track';
export type { EventSink, HostIdentity, SimDevice, SimEvent, SimEventCode } from './devices/device';
export type { RigKind, SimRig } from './devices/rig';
export { MasterControl } from './devices/master-control';
export { VirtualOpusQuad, type OpusQuadOptions } from './devices/opus-quad';
export { VirtualCdj, CDJ_NAME, type CdjPlayerOptions } from './devices/cdj-player';
export { VirtualDjm, DJM_DEVICE, DJM_NAME, type DjmMixerOptions } from './devices/djm-mixer';
export { CdjPairRig, PAIR_PLAYERS, type CdjPairOptions } from './devices/cdj-pair';
export { placeholderArt } from './tracks/placeholder-art';
export { syntheticSongStructure } from './tracks/synthetic-phrases';
export { simCues, trackFromSpec, tracksOf, type ReadFile } from './tracks/track-library';
export { exportTrackSpec, libraryCueOf, libraryWithScenarioCues, OPUS_LIBRARY_ID_OFFSET, resolveLibraryTracks, type ReadLibrary } from './tracks/export-tracks';
export { readLibraryFromDisk, scenarioCatalogue, simulatedUsb } from './scenario-library';
export { SIMULATOR_ARTIST, simulatedLibraryTrack, simulatedUsbCatalogue, simulatedUsbRoot } from './tracks/simulated-usb';
export { parseScenario, rigDecks, scenarioSchema, ScenarioError } from './scenario';
export type { CueSpec, ExportTrackSpec, Scenario, ScenarioErrorCode, ScenarioOptions, ScenarioStep, TrackSpec } from './scenario';
export { BUILTIN_SCENARIOS, DEFAULT_SCENARIO, builtinScenario } from './scenario-builtins';
export { findScenario, loadScenarioFile, scenarioFromText } from './scenario-file';
export { ScenarioRunner } from './scenario-runner';
export { VirtualLan, LAN_BROADCAST, type LanJoinOptions, type LanMember, type LanTraffic, type VirtualLanOptions } from './transport/virtual-lan';
export { openUdpHost, type HostLink, type UdpHostOptions } from './transport/udp-host';
export { SimTruth } from './truth';
export {
  LAN_ADDRESSES,
  readFileFromDisk,
  startSimulator,
  type RunningSimulator,
  type SimTransport,
  type SimTuning,
  type SimulatorOptions,
} from './simulator';
export { parseSimulatorArgs, runSimulatorCli, SIM_EXIT_OK, SIM_EXIT_RUNTIME, SIM_EXIT_USAGE, type SimulatorCliIo } from './main';
