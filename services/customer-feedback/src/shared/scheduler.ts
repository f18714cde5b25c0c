import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { InjectConfig, PeriodicJob } from '@aftersales/service-kit';
import { ComplaintRepository } from '../complaints/infrastructure/complaint.repository';
import type { CustomerFeedbackConfig } from '../config';
import { EvaluationsService } from '../evaluations/application/evaluations.service';
import { previousMonth } from '../evaluations/domain/evaluation';
import { EvaluationRepository } from '../evaluations/infrastructure/evaluation.repository';
import { SurveysService } from '../surveys/application/surveys.service';
import { SurveyRepository } from '../surveys/infrastructure/survey.repository';
import { Clock } from './clock';

/**
 * Production driver of the scheduled jobs (tests call runOnce directly): every SCHEDULER_INTERVAL_MS it
 * sends the surveys due now and publishes last month's evaluations. Both jobs are idempotent per
 * (job, period) through version-guarded saves, so several replicas may run this side by side.
 * Also creates the indexes once the store is reachable.
 */
@Injectable()
export class FeedbackScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private readonly job = new PeriodicJob('Scheduler', () => this.pass());

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @InjectConfig() private readonly config: CustomerFeedbackConfig,
    private readonly clock: Clock,
    private readonly surveys: SurveysService,
    private readonly evaluations: EvaluationsService,
    private readonly surveyRepo: SurveyRepository,
    private readonly complaintRepo: ComplaintRepository,
    private readonly evaluationRepo: EvaluationRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.connection
      .asPromise()
      .then(() =>
        Promise.all([
          this.surveyRepo.ensureIndexes(),
          this.complaintRepo.ensureIndexes(),
          this.evaluationRepo.ensureIndexes(),
        ]),
      )
      .catch((err: Error) => this.logger.warn(`indexes not created: ${err.message}`));
    this.job.start(this.config.SCHEDULER_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  private async pass(): Promise<void> {
    const now = this.clock.now();
    try {
      const report = await this.surveys.runOnce(now);
      if (report.sent || report.failed) this.logger.log({ ...report, msg: 'surveys sent' });
    } catch (err) {
      this.logger.warn(`survey pass failed: ${(err as Error).message}`);
    }
    try {
      const month = previousMonth(now);
      const { published } = await this.evaluations.runOnce(month);
      if (published) this.logger.log({ month, published, msg: 'technician evaluations published' });
    } catch (err) {
      // "not over yet" in the first hours of a month west of UTC: the next pass will do it.
      this.logger.debug?.(`evaluation pass: ${(err as Error).message}`);
    }
  }
}
