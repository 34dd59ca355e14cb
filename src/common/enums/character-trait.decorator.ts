import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';

/**
 * An optional, nullable trait/behaviour field of the bot and persona DTOs (bots.md §1, §4): validation plus the
 * named enum schema. Declare the property as `field?: Enum | null` so the Swagger plugin derives the rest.
 */
export function CharacterTrait(enumType: Record<string, string>, enumName: string): PropertyDecorator {
  // applied in the order the stacked decorators ran before (bottom-up)
  return applyDecorators(
    IsEnum(enumType),
    IsOptional(),
    ApiPropertyOptional({ enum: enumType, enumName, nullable: true }),
  );
}
