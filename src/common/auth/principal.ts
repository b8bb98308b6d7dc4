/** Who is calling: the API key and its workspace, attached to the request by the ApiKeyGuard. */
export interface Principal {
  keyId: number;
  workspaceId: number;
  workspaceSlug: string;
  scopes: string[];
  rateLimit: number;
  expiresAt: Date | null;
}
