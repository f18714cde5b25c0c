import { Injectable } from '@nestjs/common';
import { BranchCalendar } from '@aftersales/calendar';
import { BranchDirectory } from '@aftersales/service-kit';

/** One working calendar per branch, from the shared branch directory (time zone, hours, holidays). */
@Injectable()
export class BranchCalendars {
  private readonly cache = new Map<string, BranchCalendar>();

  constructor(private readonly branches: BranchDirectory) {}

  /** Throws the directory's 404-kind error for an unknown branch. */
  of(branchId: string): BranchCalendar {
    let calendar = this.cache.get(branchId);
    if (!calendar) {
      calendar = new BranchCalendar(this.branches.get(branchId));
      this.cache.set(branchId, calendar);
    }
    return calendar;
  }

  has(branchId: string): boolean {
    return this.branches.has(branchId);
  }
}
