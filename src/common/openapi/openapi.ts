import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable UPPER_SNAKE error code.', example: 'BOT_NOT_FOUND' },
    correlation_id: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Present on validation errors: one entry per failing field.',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const ERROR_DESCRIPTIONS: Record<string, string> = {
  '400': 'Invalid input (problem+json with `errors`).',
  '401': 'Missing or invalid access token.',
  '403': 'Visible but not allowed, or the account is suspended.',
  '404': 'Does not exist or is not visible to the caller.',
  '429': 'Rate limited; see `Retry-After`.',
};

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('BotCafé API')
    .setDescription(
      'AI character-chat platform. Errors are RFC 9457 problem+json documents with a stable `code`. ' +
        'Lists use keyset pagination: `?limit=&cursor=` → `{ items, next_cursor }`.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  return withErrorResponses(document);
}

/** Declares the problem+json error responses and the auth requirement of every operation. */
function withErrorResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.Problem = PROBLEM_SCHEMA as never;
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = pathItem[method];
      if (!op) continue;
      const optionalAuth = (op as unknown as Record<string, unknown>)['x-auth'] === 'optional';
      op.security = optionalAuth ? [{}, { bearer: [] }] : [{ bearer: [] }];
      const codes = optionalAuth ? ['400', '404', '429'] : ['400', '401', '403', '404', '429'];
      for (const code of codes) {
        op.responses[code] ??= {
          description: ERROR_DESCRIPTIONS[code],
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
    }
  }
  return document;
}

export function mountSwagger(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
