export class TagResponse {
  /** @example 7 */
  id: number;
  /** @example "vip-client" */
  name: string;
  /** @example "#FF5733" */
  color: string | null;
  /**
   * Leads carrying this tag.
   * @example 42
   */
  leads_count: number;
  /** @example "2026-03-28T09:15:00+00:00" */
  created_at: string;
  /** @example "2026-03-28T09:15:00+00:00" */
  updated_at: string;
}
