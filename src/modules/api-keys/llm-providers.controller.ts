import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ProviderListDto } from './dto/admin-api-keys.dto.js';
import { PROVIDERS } from './providers.js';

@ApiTags('api-keys')
@Controller('llm/providers')
export class LlmProvidersController {
  /** The provider registry: default model, whether a base URL is needed, expected secret prefix. */
  @Get()
  list(): ProviderListDto {
    return {
      items: Object.values(PROVIDERS).map((p) => ({
        provider: p.provider,
        default_model: p.defaultModel,
        default_base_url: p.defaultBaseUrl,
        requires_base_url: p.requiresBaseUrl,
        secret_prefix: p.secretPrefix,
        supports_stream_options: p.supportsStreamOptions,
        supports_name_field: p.supportsNameField,
      })),
    };
  }
}
