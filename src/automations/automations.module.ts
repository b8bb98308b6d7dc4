import { Module } from '@nestjs/common';
import { SecretBoxModule } from '../common/crypto/secret-box.module';
import { AutomationsController } from './automations.controller';
import { AutomationsRepository } from './automations.repository';
import { AutomationsService } from './automations.service';

@Module({
  imports: [SecretBoxModule],
  controllers: [AutomationsController],
  providers: [AutomationsService, AutomationsRepository],
  exports: [AutomationsService, AutomationsRepository],
})
export class AutomationsModule {}
