import { Module } from '@nestjs/common';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { BootstrapService } from './bootstrap.service';

@Module({
  imports: [WorkspacesModule],
  providers: [ApiKeysService, BootstrapService, ApiKeysRepository],
  exports: [ApiKeysService, BootstrapService],
})
export class ApiKeysModule {}
