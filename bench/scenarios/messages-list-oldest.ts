import { encodeCursor } from '../../src/common/pagination/cursor.js';
import { CHAT_MESSAGES, messagesListScenario } from '../lib/seed-chat.js';

/**
 * The first page from the beginning (`direction=newer` with the cursor before seq 1: `seq > 0 ORDER BY seq LIMIT
 * 51`) of a conversation with CHAT_MESSAGES messages, as its owner: reading a long chat from its start. Same work
 * as messages.list-newest at the other end of ux_messages_conversation_seq.
 */
export default messagesListScenario({
  name: 'messages.list-oldest',
  description: `GET /api/v1/conversations/{id}/messages?direction=newer from the start of ${CHAT_MESSAGES}`,
  query: `?direction=newer&cursor=${encodeCursor([0])}`,
  after: 0,
});
