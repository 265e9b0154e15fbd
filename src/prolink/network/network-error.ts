export type NetworkErrorCode =
  | 'no-interface' // nothing usable to join a DJ network on
  | 'ambiguous-interface' // several candidates and nothing to decide between them
  | 'interface-not-found' // --interface names nothing that exists
  | 'port-in-use' // 50000–50002 held by another program
  | 'permission-denied'
  | 'socket-error';

export class NetworkError extends Error {
  override readonly name = 'NetworkError';

  constructor(
    readonly code: NetworkErrorCode,
    message: string,
  ) {
    super(message);
  }
}
