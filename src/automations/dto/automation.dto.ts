import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UpdateType } from '../../common/crud/update-type';
import { IsOmittable } from '../../common/validation/omittable';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsDefined, IsOptional, IsString, MaxLength } from 'class-validator';
import { SyncablePaginationQueryDto } from '../../common/crud/sync-window';
import { TRIGGER_TYPES } from '../automation-definition';
import { schemaRef } from '../../common/validation/json-schema';
import { ACTIONS_SCHEMA } from '../automation-schemas';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** `trigger` and `actions` are validated by DefinitionChecker against the schemas the document shows. */
export class CreateAutomationDto {
  /** @example "Welcome new website leads" */
  @Transform(trim)
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

const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class AutomationFiltersDto extends SyncablePaginationQueryDto {
  /** `true` or `false`. */
  @IsOptional()
  @Transform(bool)
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
