import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretBoxModule } from '../common/crypto/secret-box.module';
import { Automation } from './automation.entity';
import { AutomationsController } from './automations.controller';
import { AutomationsRepository } from './automations.repository';
import { AutomationsService } from './automations.service';

@Module({
  imports: [TypeOrmModule.forFeature([Automation]), SecretBoxModule],
  controllers: [AutomationsController],
  providers: [AutomationsService, AutomationsRepository],
  exports: [AutomationsService, AutomationsRepository],
})
export class AutomationsModule {}
