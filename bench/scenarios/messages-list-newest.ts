import { CHAT_MESSAGES, messagesListScenario } from '../lib/seed-chat.js';

/**
 * The newest page (no cursor: 50 messages, `seq DESC LIMIT 51`, returned ascending) of a conversation with
 * CHAT_MESSAGES messages, as its owner: what a client opening a long chat asks first. In the app: the conversation
 * and the caller's participant row (access), the page, then attachments and reactions of the page.
 */
export default messagesListScenario({
  name: 'messages.list-newest',
  description: `GET /api/v1/conversations/{id}/messages (newest page of ${CHAT_MESSAGES}) as the owner`,
  query: '',
  after: null,
});
