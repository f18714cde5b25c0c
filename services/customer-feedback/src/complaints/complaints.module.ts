import { Global, Module } from '@nestjs/common';
import { ComplaintsService } from './application/complaints.service';
import { ComplaintRepository } from './infrastructure/complaint.repository';
import { ComplaintsController } from './interface/complaints.controller';

/** Global: the survey-answer handler (built by MessagingModule) opens complaints through the service. */
@Global()
@Module({
  controllers: [ComplaintsController],
  providers: [ComplaintRepository, ComplaintsService],
  exports: [ComplaintsService, ComplaintRepository],
})
export class ComplaintsModule {}
