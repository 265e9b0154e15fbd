import * as ws from 'ws';
import { WebSocket, WebSocketServer } from '../../../src/outputs/websocket/ws-library';

describe('ws, loaded on first use', () => {
  it('numbers the ready states as ws does', () => {
    expect(WebSocket).toEqual({ CONNECTING: ws.WebSocket.CONNECTING, OPEN: ws.WebSocket.OPEN, CLOSING: ws.WebSocket.CLOSING, CLOSED: ws.WebSocket.CLOSED });
  });

  it('creates a real ws server that a real client reaches on 127.0.0.1', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    expect(server).toBeInstanceOf(ws.WebSocketServer);
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error(`not listening on a port: ${String(address)}`);
    const received = new Promise<string>((resolve) => server.once('connection', (socket) => socket.once('message', (data: Buffer) => resolve(data.toString('utf8')))));
    const client = new ws.WebSocket(`ws://127.0.0.1:${address.port}`);
    await new Promise<void>((resolve) => client.once('open', () => resolve()));
    expect(client.readyState).toBe(WebSocket.OPEN);
    client.send('hello');
    expect(await received).toBe('hello');
    client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
