import { UnprocessableError } from '../../../common/errors/app-error.js';
import { parseChatJsonl, toJsonl } from './chat-jsonl.js';

const errorsOf = (text: string): { field: string; message: string }[] => {
  try {
    parseChatJsonl(text);
  } catch (err) {
    expect(err).toBeInstanceOf(UnprocessableError);
    return (err as { extra?: { errors: { field: string; message: string }[] } }).extra?.errors ?? [];
  }
  throw new Error('expected a 422');
};

describe('parseChatJsonl', () => {
  it('reads an optional header, skips blank lines, keeps order and the active swipe', () => {
    const text = toJsonl({ user_name: 'U', character_name: 'C', chat_metadata: {} }, [
      {
        name: 'C',
        is_user: false,
        is_system: false,
        send_date: '2026-01-01T00:00:00.000Z',
        mes: 'b',
        swipes: ['a', 'b'],
        swipe_id: 1,
        extra: {},
      },
      { name: 'U', is_user: true, is_system: false, send_date: 'x', mes: 'hi', swipes: ['hi'], swipe_id: 0, extra: {} },
    ]);
    const log = parseChatJsonl(`\uFEFF${text}\n\n`);
    expect(log.header).toEqual({ userName: 'U', characterName: 'C' });
    expect(log.messages.map((m) => [m.line, m.isUser, m.mes, m.swipes, m.swipeId])).toEqual([
      [2, false, 'b', ['a', 'b'], 1],
      [3, true, 'hi', [], 0],
    ]);
    expect(log.messages[0].sendDate?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(log.messages[1].sendDate).toBeNull();
  });

  it('a bot line without swipes gets [mes]; an edited mes wins over its swipe', () => {
    const log = parseChatJsonl(['{"mes":"x"}', '{"mes":"edited","swipes":["a","b"],"swipe_id":0}'].join('\n'));
    expect(log.header).toBeNull();
    expect(log.messages.map((m) => [m.swipes, m.swipeId])).toEqual([
      [['x'], 0],
      [['edited', 'b'], 0],
    ]);
  });

  it('names the failing line', () => {
    expect(errorsOf('{"mes":"a"}\nnot json')).toEqual([{ field: 'line 2', message: 'is not valid JSON' }]);
    expect(errorsOf('{"mes":"a"}\n{"mes":1}')[0].field).toBe('line 2.mes');
    expect(errorsOf('{"user_name":"u"}')[0].field).toBe('file');
  });
});
