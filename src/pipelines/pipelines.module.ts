import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Pipeline } from './pipeline.entity';
import { PipelinesController } from './pipelines.controller';
import { PipelinesService } from './pipelines.service';
import { Stage } from './stage.entity';
import { StagesController } from './stages.controller';
import { StagesService } from './stages.service';

@Module({
  imports: [TypeOrmModule.forFeature([Pipeline, Stage])],
  controllers: [PipelinesController, StagesController],
  providers: [PipelinesService, StagesService],
  exports: [PipelinesService, StagesService],
})
export class PipelinesModule {}
