import { Module } from '@nestjs/common';
import { MessagingModule } from '@aftersales/messaging';
import { MongoModule, ServiceKitModule } from '@aftersales/service-kit';
import { ComplaintsModule } from './complaints/complaints.module';
import { customerFeedbackConfig } from './config';
import { OnSurveyAnswered } from './evaluations/application/on-survey-answered.handler';
import { EvaluationsModule } from './evaluations/evaluations.module';
import { ClockModule } from './shared/clock';
import { SERVICE } from './shared/names';
import { FeedbackScheduler } from './shared/scheduler';
import { CreateSurveyOnCallClosed } from './surveys/application/create-survey-on-call-closed.handler';
import { SurveysModule } from './surveys/surveys.module';

/** Customer opinion [22]–[28]: surveys for every closed call, complaints by severity, monthly evaluations. */
@Module({
  imports: [
    ServiceKitModule.forRoot({ name: SERVICE, config: customerFeedbackConfig }),
    MongoModule.forService(SERVICE),
    MessagingModule.forService(SERVICE, {
      handlers: [
        CreateSurveyOnCallClosed, // intake.call.closed.v1 → one survey per call, sent the day after [24]
        OnSurveyAnswered, // feedback.survey.answered.v1 (our own) → monthly sums [23], complaint from the answer
      ],
    }),
    ClockModule,
    SurveysModule,
    ComplaintsModule,
    EvaluationsModule,
  ],
  providers: [FeedbackScheduler],
})
export class AppModule {}
