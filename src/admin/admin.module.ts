import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { UsersModule } from '../users/users.module';
import { AdminGuard } from './admin.guard';
import { AdminRepository } from './admin.repository';
import { AdminAuthController } from './auth.controller';
import { AdminIntegrationsController } from './integrations.controller';
import { AdminKeysController } from './keys.controller';
import { AdminOverviewController } from './overview.controller';
import { AdminSessionService } from './session.service';
import { AdminSetupService } from './setup.service';
import { SignInService } from './sign-in.service';
import { AdminFallbackController, AdminStaticController } from './static.controller';
import { AdminUsersController } from './users.controller';

/** The admin panel at /admin (server-rendered, sessions of admins; not part of the API). */
@Module({
  imports: [ApiKeysModule, UsersModule, IntegrationsModule],
  controllers: [
    AdminStaticController,
    AdminAuthController,
    AdminOverviewController,
    AdminKeysController,
    AdminUsersController,
    AdminIntegrationsController,
    AdminFallbackController,
  ],
  providers: [AdminSessionService, AdminSetupService, SignInService, AdminGuard, AdminRepository],
  exports: [AdminSetupService],
})
export class AdminModule {}
