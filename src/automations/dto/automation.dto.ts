import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UpdateType } from '../../common/crud/update-type';
import { IsOmittable } from '../../common/validation/omittable';
import { IsBoolean, IsIn, IsNotEmpty, IsDefined, IsOptional, IsString, MaxLength } from 'class-validator';
import { SyncablePaginationQueryDto } from '../../common/crud/sync-window';
import { TRIGGER_TYPES } from '../automation-definition';
import { Trim } from '../../common/validation/trim';
import { QueryBoolean } from '../../common/crud/query-boolean';
import { schemaRef } from '../../common/validation/json-schema';
import { ACTIONS_SCHEMA } from '../automation-schemas';

/** `trigger` and `actions` are validated by DefinitionChecker against the schemas the document shows. */
export class CreateAutomationDto {
  /** @example "Welcome new website leads" */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name: string;

  /** Default true. */
  @IsOmittable()
  @IsBoolean()
  is_active?: boolean;

  @ApiProperty({
    allOf: [schemaRef('AutomationTriggerInput')],
    description:
      'When the automation runs. Validated strictly: unknown keys, fields or operators are refused.',
  })
  @IsDefined()
  trigger: unknown;

  @ApiProperty({
    ...ACTIONS_SCHEMA,
    description:
      'What runs, in order (1 to 20). Each action has exactly its own parameters; users and stages must ' +
      'belong to the workspace.',
  })
  @IsDefined()
  actions: unknown;
}

/** Partial; a trigger or actions, when sent, replace the stored ones as a whole. */
export class UpdateAutomationDto extends UpdateType(CreateAutomationDto) {}

export const AUTOMATION_SORTS = ['name', 'created_at', 'updated_at'] as const;

export class AutomationFiltersDto extends SyncablePaginationQueryDto {
  /** `true` or `false`. */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  is_active?: boolean;

  /** Only automations with this trigger. */
  @ApiPropertyOptional({ enum: TRIGGER_TYPES })
  @IsOptional()
  @IsIn(TRIGGER_TYPES)
  trigger_type?: string;

  /** Sort field (default created_at). */
  @IsOptional()
  @IsIn(AUTOMATION_SORTS)
  sort: (typeof AUTOMATION_SORTS)[number] = 'created_at';
}
