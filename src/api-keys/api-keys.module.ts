import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { ApiKey } from './api-key.entity';
import { ApiKeysService } from './api-keys.service';
import { BootstrapService } from './bootstrap.service';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey]), WorkspacesModule],
  providers: [ApiKeysService, BootstrapService],
  exports: [ApiKeysService, BootstrapService],
})
export class ApiKeysModule {}
