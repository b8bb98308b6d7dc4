/**
 * Every PostgreSQL advisory lock the service takes, in one place: two features sharing an id would serialise
 * (or, worse, exclude) each other by accident. A new lock gets its id or name prefix here.
 *
 * Fixed ids take the one-argument form (`pg_advisory_lock(id)`); classes the two-argument form
 * (`pg_advisory_xact_lock(class, object id)`), so one class covers one object kind.
 */
export const ADVISORY_LOCK = {
  /** Migrations at start: several instances starting together migrate once (src/database/data-source.ts). */
  migrations: 7142001,
  /** First-start bootstrap of the default workspace and key (src/api-keys/bootstrap.service.ts). */
  bootstrap: 7142002,
  /** Class, per workspace: changes of its admins take turns, so the last admin stays (users.service.ts). */
  workspaceAdmins: 7142016,
  /** Class, per workspace: switches of its default pipeline take turns (pipelines.service.ts). */
  defaultPipeline: 7142101,
  /** Class, per workspace: one upkeep of its lead change log at a time (SQL only: migration LeadListChanges). */
  leadChangesUpkeep: 7142201,
  /** One instance vacuums the service's tables at a time, where PostgreSQL's autovacuum is off (vacuum-upkeep.ts). */
  vacuumUpkeep: 7142202,
} as const;

/**
 * Named locks, hashed in SQL (`hashtextextended(name, 0)`): the namespaces of their names.
 * - `idem:<key id>:<Idempotency-Key>`: one request per idempotency key at a time (idempotency.interceptor.ts).
 * - `lead-intake:<workspace id>:e:<lower(email)>` / `…:p:<phone digits>`: one lead per email/phone under
 *   concurrent intake (lead-intake.service.ts builds the name in SQL, with PostgreSQL's lower()).
 */
export const idempotencyLockName = (keyId: number, key: string): string => `idem:${keyId}:${key}`;
