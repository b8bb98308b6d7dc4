import { Module } from '@nestjs/common';
import { PipelinesController } from './pipelines.controller';
import { PipelinesRepository } from './pipelines.repository';
import { PipelinesService } from './pipelines.service';
import { StagesController } from './stages.controller';
import { StagesRepository } from './stages.repository';
import { StagesService } from './stages.service';

@Module({
  controllers: [PipelinesController, StagesController],
  providers: [PipelinesService, StagesService, PipelinesRepository, StagesRepository],
  exports: [PipelinesService, StagesService],
})
export class PipelinesModule {}
