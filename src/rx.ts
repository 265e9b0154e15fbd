/**
 * The parts of RxJS the bridge uses, each loaded from its own module.
 *
 * RxJS 7's CommonJS entry (`require('rxjs')`) loads all 223 of its modules,
 * every operator and scheduler, whether used or not: some 4 MB of resident
 * memory for the life of the process. The package exports its modules one by
 * one (`rxjs/internal/*`), and the entry only re-exports them, so a part
 * loaded here is the very same function or class the entry gives: an
 * Observable made here is an Observable to any code that imports `rxjs`.
 *
 * Should an RxJS release move a part (the paths are not its public API), that
 * part comes from the entry instead: more memory, the same behaviour.
 *
 * Values come from here; types stay imported from `rxjs` (they cost nothing
 * at run time). The classes are exported as both.
 */
import type * as Rx from 'rxjs';

type RxExports = typeof Rx;

/** Where each part lives, under `rxjs/internal/`. */
export const RX_PARTS = {
  Observable: 'Observable',
  Subject: 'Subject',
  BehaviorSubject: 'BehaviorSubject',
  Subscription: 'Subscription',
  ObjectUnsubscribedError: 'util/ObjectUnsubscribedError',
  config: 'config',
  asyncScheduler: 'scheduler/async',
  EMPTY: 'observable/empty',
  concat: 'observable/concat',
  defer: 'observable/defer',
  from: 'observable/from',
  interval: 'observable/interval',
  merge: 'observable/merge',
  timer: 'observable/timer',
  distinctUntilChanged: 'operators/distinctUntilChanged',
  filter: 'operators/filter',
  groupBy: 'operators/groupBy',
  map: 'operators/map',
  mergeMap: 'operators/mergeMap',
  scan: 'operators/scan',
  share: 'operators/share',
  startWith: 'operators/startWith',
  switchMap: 'operators/switchMap',
  withLatestFrom: 'operators/withLatestFrom',
} as const satisfies { readonly [K in keyof RxExports]?: string };

type Part = keyof typeof RX_PARTS;

/** `name` from its own module, or from the package's entry where that module does not have it. */
export function rxPart<K extends Part>(name: K): RxExports[K] {
  try {
    const value = (require(`rxjs/internal/${RX_PARTS[name]}`) as Partial<RxExports>)[name];
    if (value !== undefined) return value as RxExports[K];
  } catch {
    // Not there in this release: from the entry below.
  }
  return (require('rxjs') as RxExports)[name];
}

export const Observable: RxExports['Observable'] = rxPart('Observable');
export type Observable<T> = Rx.Observable<T>;
export const Subject: RxExports['Subject'] = rxPart('Subject');
export type Subject<T> = Rx.Subject<T>;
export const BehaviorSubject: RxExports['BehaviorSubject'] = rxPart('BehaviorSubject');
export type BehaviorSubject<T> = Rx.BehaviorSubject<T>;
export const Subscription: RxExports['Subscription'] = rxPart('Subscription');
export type Subscription = Rx.Subscription;
export const ObjectUnsubscribedError: RxExports['ObjectUnsubscribedError'] = rxPart('ObjectUnsubscribedError');
export const config: RxExports['config'] = rxPart('config');
export const asyncScheduler: RxExports['asyncScheduler'] = rxPart('asyncScheduler');
export const EMPTY: RxExports['EMPTY'] = rxPart('EMPTY');
export const concat: RxExports['concat'] = rxPart('concat');
export const defer: RxExports['defer'] = rxPart('defer');
export const from: RxExports['from'] = rxPart('from');
export const interval: RxExports['interval'] = rxPart('interval');
export const merge: RxExports['merge'] = rxPart('merge');
export const timer: RxExports['timer'] = rxPart('timer');
export const distinctUntilChanged: RxExports['distinctUntilChanged'] = rxPart('distinctUntilChanged');
export const filter: RxExports['filter'] = rxPart('filter');
export const groupBy: RxExports['groupBy'] = rxPart('groupBy');
export const map: RxExports['map'] = rxPart('map');
export const mergeMap: RxExports['mergeMap'] = rxPart('mergeMap');
export const scan: RxExports['scan'] = rxPart('scan');
export const share: RxExports['share'] = rxPart('share');
export const startWith: RxExports['startWith'] = rxPart('startWith');
export const switchMap: RxExports['switchMap'] = rxPart('switchMap');
export const withLatestFrom: RxExports['withLatestFrom'] = rxPart('withLatestFrom');
