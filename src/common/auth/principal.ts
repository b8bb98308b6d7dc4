/** Who is calling: the API key and its workspace, attached to the request by the ApiKeyGuard. */
export interface Principal {
  keyId: number;
  workspaceId: number;
  workspaceSlug: string;
  scopes: string[];
  rateLimit: number;
  /** Names the key's rate-limit window; from its hash, so deployments sharing one Redis never collide. */
  rateKey: string;
  expiresAt: Date | null;
}
