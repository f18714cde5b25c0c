import { Global, Module } from '@nestjs/common';
import { Roster } from './application/roster';
import { TechnicianRepository } from './application/ports';
import { MongoTechnicianRepository } from './infrastructure/mongo-technician.repository';
import { TechniciansController } from './interface/technicians.controller';

/** The roster per branch. Global: jobs read technicians (assignment, suggestions, a technician's day). */
@Global()
@Module({
  controllers: [TechniciansController],
  providers: [Roster, { provide: TechnicianRepository, useClass: MongoTechnicianRepository }],
  exports: [TechnicianRepository],
})
export class TechniciansModule {}
