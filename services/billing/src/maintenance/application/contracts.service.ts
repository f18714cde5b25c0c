import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type CloudEvent,
  ContractCreatedV1,
  ContractExpiredV1,
  ContractExpiringV1,
  ContractRenewedV1,
} from '@aftersales/contracts';
import { BranchDirectory, NotFoundError } from '@aftersales/service-kit';
import { Clock } from '../../shared/clock';
import { billingMeta } from '../../shared/events';
import {
  addRenewalAttempt,
  applyExpiry,
  applyNotice,
  decideExpiry,
  renew,
  termCovering,
  validateTerm,
  type Contract,
  type ContractTerm,
} from '../domain/contract';
import { ContractRepository, type LoadedContract } from '../infrastructure/contract.repository';

export interface CreateContractInput extends ContractTerm {
  customerId: string;
  customerName?: string;
  serials: string[];
}

const termsData = (c: Contract) => ({
  branchId: c.branchId,
  contractId: c.id,
  customerId: c.customerId,
  serials: c.serials,
  startsOn: c.startsOn,
  endsOn: c.endsOn,
  coversLabour: c.coversLabour,
  coversParts: c.coversParts,
});

const MAX_CONFLICT_RETRIES = 5;

@Injectable()
export class ContractsService {
  constructor(
    private readonly repository: ContractRepository,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
  ) {}

  async create(branchId: string, input: CreateContractInput): Promise<Contract> {
    this.branches.get(branchId);
    const term: ContractTerm = {
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      coversLabour: input.coversLabour,
      coversParts: input.coversParts,
      feeMinor: input.feeMinor,
    };
    validateTerm(term);
    const contract: Contract = {
      id: `ct-${randomUUID()}`,
      branchId,
      customerId: input.customerId,
      ...(input.customerName ? { customerName: input.customerName } : {}),
      serials: [...new Set(input.serials)],
      ...term,
      status: 'active',
      terms: [term],
      followUpHistory: [],
      createdAt: this.clock.now().toISOString(),
    };
    await this.repository.insert(contract, [ContractCreatedV1.create(termsData(contract), billingMeta(contract.id))]);
    return contract;
  }

  async get(branchId: string, id: string): Promise<LoadedContract> {
    const contract = await this.repository.find(id);
    if (!contract || contract.branchId !== branchId) throw new NotFoundError(`contract ${id} does not exist`);
    return contract;
  }

  list(branchId: string, customerId?: string) {
    this.branches.get(branchId);
    return this.repository.list(branchId, customerId);
  }

  /** [20] Renews for a new term starting the day after the current end. */
  renew(branchId: string, id: string, input: Parameters<typeof renew>[1]): Promise<LoadedContract> {
    return this.update(branchId, id, (contract) => {
      const changes = renew(contract, input, this.clock.now());
      const next = { ...contract, ...changes };
      return {
        changes,
        events: [
          ContractRenewedV1.create({ ...termsData(next), previousEndsOn: contract.endsOn }, billingMeta(contract.id)),
        ],
      };
    });
  }

  /** [20] Someone tried to renew (visit, call): recorded on the open follow-up. */
  addRenewalAttempt(branchId: string, id: string, by: string, note: string): Promise<LoadedContract> {
    return this.update(branchId, id, (contract) => ({
      changes: { followUp: addRenewalAttempt(contract, { at: this.clock.now().toISOString(), by, note }) },
      events: [],
    }));
  }

  /** Contract coverage on a branch-local date [6]: by period, so past dates are answered too. */
  async coverage(customerId: string, serial: string, day: string) {
    const candidates = (await this.repository.findBySerial(serial)).filter((c) => c.customerId === customerId);
    for (const contract of candidates) {
      const term = termCovering(contract, day);
      if (term) return { contract, term };
    }
    return null;
  }

  /**
   * [20] The expiry job for one branch-local date: sends each notice once (recorded on the contract for the
   * term's end date, in the same atomic update as the event, so two replicas or two runs cannot both raise it)
   * and expires contracts past their end. Returns what it did.
   */
  async runExpiry(today: string, branchId?: string): Promise<{ noticed: string[]; expired: string[] }> {
    const done = { noticed: [] as string[], expired: [] as string[] };
    for (const found of await this.repository.findActive(branchId)) {
      let contract: LoadedContract | null = found;
      for (let attempt = 0; contract && attempt < MAX_CONFLICT_RETRIES; attempt++) {
        const decision = decideExpiry(contract, today);
        if (decision.kind === 'none') break;
        const now = this.clock.now();
        const result =
          decision.kind === 'notice'
            ? await this.repository.save(
                contract.id,
                contract.version,
                applyNotice(contract, decision.noticeDate, now),
                [
                  ContractExpiringV1.create(
                    { ...termsData(contract), noticeSentAt: now.toISOString() },
                    billingMeta(contract.id),
                  ),
                ],
              )
            : await this.repository.save(contract.id, contract.version, applyExpiry(contract, now), [
                ContractExpiredV1.create(
                  { ...termsData(contract), renewalAttempts: contract.followUp?.attempts.length ?? 0 },
                  billingMeta(contract.id),
                ),
              ]);
        if (result === 'saved') {
          (decision.kind === 'notice' ? done.noticed : done.expired).push(contract.id);
          break;
        }
        contract = await this.repository.find(contract.id); // someone else saved first: decide again
      }
    }
    return done;
  }

  private async update(
    branchId: string,
    id: string,
    decide: (c: LoadedContract) => { changes: Partial<Contract>; events: CloudEvent[] },
  ): Promise<LoadedContract> {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const contract = await this.get(branchId, id);
      const { changes, events } = decide(contract);
      if ((await this.repository.save(id, contract.version, changes, events)) === 'saved')
        return this.get(branchId, id);
    }
    throw new Error(`contract ${id}: too many concurrent updates`);
  }
}
