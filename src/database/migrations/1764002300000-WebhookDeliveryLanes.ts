import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sending slot keeps going with the next due delivery of its workspace and destination (host[:port] of the
 * URL, the expression of src/engine/webhook-deliveries.repository.ts) instead of going back to a scan of every due
 * delivery: this index finds that next one without reading the others.
 */
export class WebhookDeliveryLanes1764002300000 implements MigrationInterface {
  name = 'WebhookDeliveryLanes1764002300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "IDX_webhook_deliveries_lane" ON "webhook_deliveries"
         ("workspace_id", coalesce(lower(substring("url" from '^[^:]+://(?:[^@/?#]*@)?([^/?#]*)')), ''),
          "next_attempt_at", "id")
         WHERE "status" = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_webhook_deliveries_lane"`);
  }
}
