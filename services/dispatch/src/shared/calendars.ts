import { Injectable } from '@nestjs/common';
import { BranchCalendar } from '@aftersales/calendar';
import { BranchDirectory } from '@aftersales/service-kit';

/** One working-time calendar per branch of the directory (throws UnknownBranchError for others). */
@Injectable()
export class BranchCalendars {
  private readonly cache = new Map<string, BranchCalendar>();

  constructor(private readonly branches: BranchDirectory) {}

  for(branchId: string): BranchCalendar {
    let cal = this.cache.get(branchId);
    if (!cal) {
      cal = new BranchCalendar(this.branches.get(branchId));
      this.cache.set(branchId, cal);
    }
    return cal;
  }
}
