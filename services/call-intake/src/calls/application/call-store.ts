import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@aftersales/service-kit/domain-errors';
import { Clock } from '../../shared/clock';
import type { RepairCall } from '../domain/call';
import { CallRepository } from '../infrastructure/call.repository';
import { eventsFor } from './call-events';

const MAX_ATTEMPTS = 10;

export type UpdateOutcome = 'saved' | 'unchanged' | 'duplicate';

/**
 * load → domain → save (+ events) with optimistic concurrency: on a version conflict (another replica or
 * handler saved first) the call is reloaded and the change decided again on the fresh state.
 */
@Injectable()
export class CallStore {
  constructor(
    private readonly repo: CallRepository,
    private readonly clock: Clock,
  ) {}

  async update(
    callId: string,
    change: (call: RepairCall) => boolean | void,
    opts: { causedBy?: string; missing?: () => Error } = {},
  ): Promise<{ outcome: UpdateOutcome; call: RepairCall }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const loaded = await this.repo.load(callId);
      if (!loaded) throw opts.missing?.() ?? new NotFoundError(`call ${callId} does not exist`);
      const { call, version, processed } = loaded;
      if (opts.causedBy && processed.includes(opts.causedBy)) return { outcome: 'duplicate', call };
      if (change(call) === false) return { outcome: 'unchanged', call };
      const events = eventsFor(call.props, call.pullFacts(), this.clock.now());
      const result = await this.repo.save(call, version, events, opts.causedBy);
      if (result === 'saved') return { outcome: 'saved', call };
      if (result === 'duplicate') return { outcome: 'duplicate', call };
    }
    throw new Error(`call ${callId}: too many concurrent updates`);
  }
}
