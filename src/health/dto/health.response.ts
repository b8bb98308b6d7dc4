export class HealthResponse {
  /** @example "ok" */
  status: 'ok';
  /** @example "1.0.0" */
  version: string;
  /** @example "2026-03-28T09:15:00+00:00" */
  timestamp: string;
}

export class ReadinessResponse {
  /** @example "ok" */
  status: 'ok';
  /** @example "ok" */
  database: 'ok';
}
