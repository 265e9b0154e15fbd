/**
 * The `ws` package, loaded when the first WebSocket server is created rather
 * than when the bridge starts: it brings Node's http, https, tls, crypto and
 * zlib with it, some 2 MB of memory that a mapping without WebSocket targets
 * never needs. Used as `ws` itself is: `new WebSocketServer(options)`,
 * `WebSocket.OPEN`, and both names as types.
 */
import type * as ws from 'ws';

export type WebSocket = ws.WebSocket;
export type WebSocketServer = ws.WebSocketServer;

function load(): typeof ws {
  return require('ws') as typeof ws;
}

/** ws's WebSocketServer; the first `new` loads ws. */
export const WebSocketServer = function WebSocketServer(...args: ConstructorParameters<typeof ws.WebSocketServer>): ws.WebSocketServer {
  return new (load().WebSocketServer)(...args);
} as unknown as typeof ws.WebSocketServer;

/** The ready states of a WebSocket, numbered as ws and the WebSocket standard number them. */
export const WebSocket = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;
