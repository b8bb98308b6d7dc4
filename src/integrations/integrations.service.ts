import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../common/crypto/secret-box';
import { ApiException, FieldErrors } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { isoTimestamp } from '../common/time';
import { CreateIntegrationDto, IntegrationFiltersDto, UpdateIntegrationDto } from './dto/integration.dto';
import { IntegrationResponse, IntegrationTypeResponse } from './dto/integration.response';
import { AppConfig } from '../config/app-config';
import { prepareConfig, maskConfig, StoredConfig } from './integration-config';
import { INTEGRATION_TYPES, integrationType, IntegrationType } from './integration-types';
import { Integration } from './integration.entity';
import { IntegrationsRepository } from './integrations.repository';
import { found } from '../common/crud/found';

/** The receiver route of each receiving type (src/integrations/receivers). */
export const RECEIVER_PATHS: Record<string, string> = {
  facebook_lead_ads: 'facebook',
  google_ads: 'google-ads',
};

@Injectable()
export class IntegrationsService {
  constructor(
    private readonly integrations: IntegrationsRepository,
    private readonly box: SecretBox,
    private readonly appConfig: AppConfig,
  ) {}

  types(): IntegrationTypeResponse[] {
    return INTEGRATION_TYPES.map((t) => ({
      ...t,
      config_fields: t.config_fields.map((f) => ({ ...f, options: f.options && [...f.options] })),
    }));
  }

  list(workspaceId: number, q: IntegrationFiltersDto): Promise<Page<Integration>> {
    return this.integrations.list(workspaceId, q);
  }

  async get(workspaceId: number, id: number): Promise<Integration> {
    return found(await this.integrations.findInWorkspace(workspaceId, id), 'integration');
  }

  async create(workspaceId: number, dto: CreateIntegrationDto): Promise<Integration> {
    const type = integrationType(dto.type)!; // the DTO allows only catalog types
    const config = await this.config(type, dto.config ?? {}, undefined);
    return this.integrations.create({
      workspaceId,
      type: type.type,
      name: dto.name,
      config,
      isActive: dto.is_active ?? true,
      receiverToken: randomBytes(32).toString('hex'),
    });
  }

  /** Partial update; a config, when sent, replaces the stored one (masked secrets resolve to the stored values). */
  async update(workspaceId: number, id: number, dto: UpdateIntegrationDto): Promise<Integration> {
    const integration = await this.get(workspaceId, id);
    if (dto.type !== undefined && dto.type !== integration.type)
      throw ApiException.field('type', 'The type of an integration cannot be changed.');
    if (dto.config !== undefined) {
      const type = integrationType(integration.type);
      if (!type) throw ApiException.field('type', `The type ${integration.type} is no longer supported.`);
      integration.config = await this.config(type, dto.config, integration.config);
    }
    if (dto.name !== undefined) integration.name = dto.name;
    if (dto.is_active !== undefined) integration.isActive = dto.is_active;
    return this.integrations.save(integration);
  }

  async remove(workspaceId: number, id: number): Promise<void> {
    if (!(await this.integrations.delete(workspaceId, id))) throw ApiException.notFound('integration');
  }

  /** The plaintext config, secrets decrypted: for the code that calls the integration, never for a response. */
  revealConfig(integration: Integration): StoredConfig {
    const type = integrationType(integration.type);
    const out: StoredConfig = { ...integration.config };
    for (const f of type?.config_fields ?? [])
      if (f.secret && typeof out[f.name] === 'string') out[f.name] = this.box.decrypt(out[f.name] as string);
    return out;
  }

  /** The public receiver URL of a Facebook or Google Ads integration (null for other types). */
  receiverUrl(i: Integration, origin: string): string | null {
    const path = RECEIVER_PATHS[i.type];
    return path ? `${origin}/api/v1/receivers/${path}/${i.receiverToken}` : null;
  }

  /** The response of an integration; `origin` (scheme and host of the API) builds its receiver URL. */
  toResponse = (i: Integration, origin: string): IntegrationResponse => ({
    id: i.id,
    type: i.type,
    name: i.name,
    config: maskConfig(integrationType(i.type), i.config, this.box),
    receiver_url: this.receiverUrl(i, origin),
    is_active: i.isActive,
    created_at: isoTimestamp(i.createdAt),
    updated_at: isoTimestamp(i.updatedAt),
  });

  private async config(type: IntegrationType, submitted: unknown, stored: StoredConfig | undefined) {
    const { config, errors } = await prepareConfig(type, submitted, stored, this.box, {
      allowPrivate: this.appConfig.allowPrivateUrls,
    });
    if (Object.keys(errors).length) throw ApiException.validation(errors as FieldErrors);
    return config;
  }
}
