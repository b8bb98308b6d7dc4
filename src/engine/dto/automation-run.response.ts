import { ApiProperty } from '@nestjs/swagger';
import { TRIGGER_TYPES } from '../../automations/automation-definition';
import { DeliveryResponse } from '../../integrations/deliveries/dto/delivery.response';
import { CUT_REASONS, type CutReason, RUN_STATUSES, type RunStatus } from '../automation-run.entity';

/** One entry of an automation's run log. */
export class AutomationRunResponse {
  @ApiProperty({ type: 'integer', example: 311 })
  id: number;

  @ApiProperty({ type: 'integer', example: 4 })
  automation_id: number;

  @ApiProperty({ type: 'integer', description: 'The domain event the automation ran on.', example: 9120 })
  event_id: number;

  @ApiProperty({ enum: TRIGGER_TYPES, example: 'lead.created' })
  event_type: string;

  @ApiProperty({ type: 'integer', nullable: true, example: 1842 })
  lead_id: number | null;

  @ApiProperty({
    type: 'integer',
    description:
      'How many automation runs led to the event (0: a change made through the API or a form). Events at ' +
      'depth 5 run no actions: the run is `cut` (`cut_reason: depth_limit`), so automations that trigger each ' +
      'other cannot loop forever.',
    example: 0,
  })
  depth: number;

  @ApiProperty({
    enum: RUN_STATUSES,
    description:
      '`succeeded`: every action was applied (webhooks were queued; a webhook that finally fails turns the run ' +
      "`failed`); `failed`: an action failed and none of the run's changes were kept, or a webhook was refused " +
      'or never delivered; `skipped`: the conditions did not hold (or the lead no longer exists); `cut`: the ' +
      'conditions held but the run would have gone past a bound of its causal chain (see `cut_reason`).',
    example: 'succeeded',
  })
  status: RunStatus;

  @ApiProperty({
    enum: CUT_REASONS,
    nullable: true,
    description:
      'Why a `cut` run ran no actions (null for other statuses). `depth_limit`: 5 automation runs already led ' +
      'to the event. `chain_budget`: the change made through the API that started the chain has caused as ' +
      'many automation runs and events as it may (LEADHUB_AUTOMATION_CHAIN_BUDGET, default 100, shared out ' +
      'among the automations an event triggers and the events a run records), or this run would have ' +
      'recorded more events than its share left; none of its changes were kept.',
    example: null,
  })
  cut_reason: CutReason | null;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'The actions applied, in order, with their parameters and `changed` (whether the lead changed); ' +
      'a webhook shows its `url`, `delivery_id` (the X-LeadHub-Delivery header) and `signed`. Empty unless ' +
      'the run succeeded.',
    example: [
      { type: 'add_tag', tag: 'website', changed: true },
      { type: 'send_webhook', url: 'https://hooks.example.com/leadhub', delivery_id: '0b9e…', signed: true },
    ],
  })
  actions_applied: Record<string, unknown>[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Why the run failed or was cut.',
    example: null,
  })
  error: string | null;

  /** @example "2026-03-28T09:15:00+00:00" */
  created_at: string;

  @ApiProperty({
    type: () => [DeliveryResponse],
    description:
      'The outbound deliveries the run queued (send_webhook, send_email, notify_slack), oldest first.',
  })
  deliveries: DeliveryResponse[];
}
