import { Injectable } from '@nestjs/common';
import { eventMeta, TechnicianEvaluatedV1 } from '@aftersales/contracts';
import { BranchDirectory } from '@aftersales/service-kit';
import { ConflictError } from '@aftersales/service-kit/domain-errors';
import { Clock } from '../../shared/clock';
import { SOURCE } from '../../shared/names';
import { assertMonth, averages, Evaluation, monthIsOver, monthOf, Sums } from '../domain/evaluation';
import { EvaluationDoc, EvaluationRepository } from '../infrastructure/evaluation.repository';

export interface AnsweredSurvey {
  surveyId: string;
  technicianId: string;
  branchId: string;
  ratings: Sums;
  answeredAt: Date;
}

const MAX_CONFLICTS = 5;

@Injectable()
export class EvaluationsService {
  constructor(
    private readonly evaluations: EvaluationRepository,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
  ) {}

  /** [23] Counts an answered survey towards its technician's month (branch-local month of the answer), once. */
  record(answer: AnsweredSurvey): Promise<boolean> {
    const month = monthOf(answer.answeredAt, this.branches.get(answer.branchId).timezone);
    return this.evaluations.add(
      { technicianId: answer.technicianId, month, branchId: answer.branchId },
      answer.surveyId,
      answer.ratings,
    );
  }

  /**
   * Publishes feedback.technician.evaluated.v1 for every technician evaluated in `month`, once per
   * technician-month (a flag written with the event, version-guarded, so replicas and re-runs add nothing).
   * Refused while the month is still running in some branch: its evaluation would be incomplete.
   */
  async runOnce(month: string): Promise<{ month: string; published: number }> {
    assertMonth(month);
    const now = this.clock.now();
    const zones = [...new Set(this.branches.all().map((b) => b.timezone))];
    if (!monthIsOver(month, zones, now)) throw new ConflictError(`month ${month} is not over yet`);
    let published = 0;
    for (const doc of await this.evaluations.unpublished(month)) {
      if (await this.publish(doc, now)) published++;
    }
    return { month, published };
  }

  private async publish(first: EvaluationDoc, now: Date): Promise<boolean> {
    let doc: EvaluationDoc | null = first;
    for (let i = 0; i < MAX_CONFLICTS && doc && !doc.published; i++) {
      const avg = averages(doc.sums, doc.count);
      const event = TechnicianEvaluatedV1.create(
        {
          branchId: doc.branchId,
          technicianId: doc.technicianId,
          month: doc.month,
          surveys: doc.count,
          ...(avg ? { averages: avg } : {}),
        },
        eventMeta(SOURCE, doc._id, { time: now }),
      );
      const set: Partial<Evaluation> = {
        published: true,
        publishedAt: now,
        publishedAs: { surveys: doc.count, ...(avg ? { averages: avg } : {}) },
      };
      if ((await this.evaluations.save(doc, set, [event])) === 'saved') return true;
      doc = await this.evaluations.get(doc.technicianId, doc.month); // an answer landed meanwhile: recompute
    }
    return false;
  }

  list(filter: { month?: string; technicianId?: string; branchId?: string }) {
    return this.evaluations.list(filter);
  }
}

export function evaluationView(doc: Evaluation) {
  return {
    technicianId: doc.technicianId,
    month: doc.month,
    branchId: doc.branchId,
    surveys: doc.count,
    averages: averages(doc.sums, doc.count),
    published: doc.published,
    publishedAt: doc.publishedAt?.toISOString(),
    publishedAs: doc.publishedAs ?? undefined,
  };
}
