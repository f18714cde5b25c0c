import { Global, Module } from '@nestjs/common';
import type { CustomerFeedbackConfig } from '../config';
import { SERVICE_CONFIG } from '@aftersales/service-kit';
import { Notifier } from './application/notifier';
import { SurveysService } from './application/surveys.service';
import { FileNotifier } from './infrastructure/file-notifier';
import { SmtpNotifier } from './infrastructure/smtp-notifier';
import { SurveyRepository } from './infrastructure/survey.repository';
import { SurveyAnswerController, SurveysController } from './interface/surveys.controller';

/** Picks the notifier adapter from NOTIFIER: SMTP e-mail in production, an outbox folder in development. */
export function notifierFor(config: CustomerFeedbackConfig): Notifier {
  if (config.NOTIFIER === 'smtp') {
    return new SmtpNotifier({
      url: config.SMTP_URL!,
      from: config.SMTP_FROM,
      postalDesk: config.SMTP_POSTAL_DESK,
      requireTls: config.SMTP_REQUIRE_TLS,
    });
  }
  return new FileNotifier(config.NOTIFIER_DIR);
}

/**
 * Global because the event handlers are instantiated by MessagingModule, which must resolve
 * SurveysService from its own (global) scope.
 */
@Global()
@Module({
  controllers: [SurveyAnswerController, SurveysController],
  providers: [
    SurveyRepository,
    SurveysService,
    { provide: Notifier, inject: [SERVICE_CONFIG], useFactory: notifierFor },
  ],
  exports: [SurveysService, SurveyRepository],
})
export class SurveysModule {}
