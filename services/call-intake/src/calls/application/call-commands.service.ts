import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@aftersales/service-kit/domain-errors';
import { Clock } from '../../shared/clock';
import type { CallProps } from '../domain/call';
import { CallStore } from './call-store';

/** Clerk commands on an existing call. The branch in the path must be the call's own (else 404). */
@Injectable()
export class CallCommands {
  constructor(
    private readonly store: CallStore,
    private readonly clock: Clock,
  ) {}

  /** [9][12] Log the signed voucher out: only a completed call (409 otherwise); raises the close event. */
  async close(branchId: string, callId: string, by: string): Promise<CallProps> {
    const { call } = await this.store.update(callId, (c) => {
      this.assertBranch(c.props, branchId);
      c.close(this.clock.now(), by);
    });
    return call.props;
  }

  /** Cancel before it is closed (409 once closed or cancelled). */
  async cancel(branchId: string, callId: string, reason: string, by: string): Promise<CallProps> {
    const { call } = await this.store.update(callId, (c) => {
      this.assertBranch(c.props, branchId);
      c.cancel(reason, this.clock.now(), by);
    });
    return call.props;
  }

  private assertBranch(call: Readonly<CallProps>, branchId: string) {
    if (call.branchId !== branchId) throw new NotFoundError(`call ${call.id} does not exist`);
  }
}
