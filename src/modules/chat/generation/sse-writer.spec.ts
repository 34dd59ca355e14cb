import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { SseWriter } from './sse-writer.js';

/** Just enough of a ServerResponse for the writer. */
class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  destroyed = false;
  writable = true;
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  end(): void {
    this.writable = false;
  }
}

describe('SseWriter (api-keys.md §6.5)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes event, increasing id and one JSON data line per event; pings every 15 s', () => {
    const res = new FakeResponse();
    const writer = new SseWriter(res as unknown as ServerResponse);
    writer.send('start', { message_id: 'm' });
    writer.send('delta', { content: 'Hel\nlo' });
    jest.advanceTimersByTime(15_000);
    writer.end();
    expect(res.chunks).toEqual([
      'event: start\nid: 1\ndata: {"message_id":"m"}\n\n',
      'event: delta\nid: 2\ndata: {"content":"Hel\\nlo"}\n\n',
      ': ping\n\n',
    ]);
    expect(writer.open).toBe(false);
  });

  it('after the client went away nothing more is written (the generation goes on elsewhere)', () => {
    const res = new FakeResponse();
    const writer = new SseWriter(res as unknown as ServerResponse);
    res.emit('close');
    writer.send('delta', { content: 'x' });
    jest.advanceTimersByTime(30_000);
    expect(res.chunks).toEqual([]);
  });
});
