import { Module } from '@nestjs/common';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { BearerStrategy } from './bearer.strategy';
import { BootstrapService } from './bootstrap.service';

@Module({
  imports: [WorkspacesModule],
  // BearerStrategy registers the `bearer` strategy with passport for the global ApiKeyGuard.
  providers: [ApiKeysService, BootstrapService, ApiKeysRepository, BearerStrategy],
  exports: [ApiKeysService, BootstrapService],
})
export class ApiKeysModule {}
