import type { Scenario } from '../lib/scenario.js';

/**
 * A creator's public page, anonymous, rotating over the seeded creators (the bot owners; fixture `creators`: up to 6
 * featured bots, social links, programme badges). In the app: the profile with its handle, the access check, then
 * social links, the showcase (joined to bots) and the badges in parallel; no `following` lookup when anonymous.
 */
export default {
  name: 'creators.profile',
  description: 'GET /api/v1/creators/{username}, anonymous, rotating over the seeded creators',
  requires: [{ method: 'get', path: '/api/v1/creators/{username}' }],
  fixtures: ['bots', 'creators'],
  async plan({ bots }) {
    const handles = bots!.owners.map((u) => u.username);
    let i = 0;
    return {
      requests: [
        {
          method: 'GET',
          setupRequest(req) {
            return { ...req, path: `/api/v1/creators/${handles[i++ % handles.length]}` };
          },
        },
      ],
    };
  },
} satisfies Scenario;
