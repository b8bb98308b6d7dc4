import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { ApiKey } from './api-key.entity';
import { ApiKeysService } from './api-keys.service';
import { BearerStrategy } from './bearer.strategy';
import { BootstrapService } from './bootstrap.service';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey]), WorkspacesModule],
  // BearerStrategy registers the `bearer` strategy with passport for the global ApiKeyGuard.
  providers: [ApiKeysService, BootstrapService, BearerStrategy],
  exports: [ApiKeysService, BootstrapService],
})
export class ApiKeysModule {}
