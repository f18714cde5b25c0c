import { Global, Module } from '@nestjs/common';
import { EvaluationsService } from './application/evaluations.service';
import { EvaluationRepository } from './infrastructure/evaluation.repository';
import { EvaluationsController } from './interface/evaluations.controller';

@Global()
@Module({
  controllers: [EvaluationsController],
  providers: [EvaluationRepository, EvaluationsService],
  exports: [EvaluationsService, EvaluationRepository],
})
export class EvaluationsModule {}
