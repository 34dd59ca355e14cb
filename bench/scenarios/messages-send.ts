import { benchChat, CHAT_SENDERS, seedChat } from '../lib/seed-chat.js';
import type { Scenario } from '../lib/scenario.js';

/**
 * Post a user message without a reply (`respond: none`, so no provider is involved): pre-checks, then one write
 * transaction (conversation row lock and seq allocation, wellbeing gate, message insert, read marker, analytics
 * event), then the re-read. CHAT_SENDERS users each post into a conversation of their own, so the conversation row
 * locks do not serialise the run.
 */
export default {
  name: 'messages.send',
  description: `POST /api/v1/conversations/{id}/messages (respond none), ${CHAT_SENDERS} senders`,
  requires: [
    { method: 'post', path: '/api/v1/auth/login' },
    { method: 'post', path: '/api/v1/conversations/{id}/messages' },
  ],
  runLast: true,
  seed: ({ db, users }) => seedChat(db, users).then(() => undefined),
  async plan({ login }) {
    const chat = benchChat();
    const tokens: string[] = [];
    for (const sender of chat.senders) tokens.push(await login(sender));
    let i = 0;
    return {
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest(req) {
            const n = i++;
            const k = n % tokens.length;
            return {
              ...req,
              path: `/api/v1/conversations/${chat.sendConversationIds[k]}/messages`,
              headers: { ...req.headers, authorization: `Bearer ${tokens[k]}` },
              body: JSON.stringify({ content: `Bench message ${n}: how are you today?`, respond: 'none' }),
            };
          },
        },
      ],
    };
  },
} satisfies Scenario;
