/**
 * Routes whose JSON bodies may exceed BODY_LIMIT_BYTES (bulk imports), with their own cap. Fastify fixes a route's
 * body limit when the route is registered, so the list lives here rather than on the controller.
 */
export const LARGE_BODY_ROUTES: Record<string, number> = {
  // knowledge.md §5: world books up to 5 MB (plus JSON overhead).
  '/api/v1/knowledge-collections/imports/worldbook': 5 * 1024 * 1024 + 64 * 1024,
};
