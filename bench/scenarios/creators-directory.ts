import type { Scenario } from '../lib/scenario.js';

/**
 * The creator directory's front page: anonymous, default sort (followers, then id), one page of 20 cards. One query
 * in the app: public, visible profiles joined to their users for the handle (+1 row for the cursor).
 */
export default {
  name: 'creators.directory',
  description: 'GET /api/v1/creators?limit=20, anonymous, first page, default sort',
  requires: [{ method: 'get', path: '/api/v1/creators' }],
  fixtures: ['bots', 'creators'],
  async plan() {
    return { requests: [{ method: 'GET', path: '/api/v1/creators?limit=20' }] };
  },
} satisfies Scenario;
