import { Injectable } from '@nestjs/common';
import { SurveyAnsweredV1 } from '@aftersales/contracts';
import { EventHandlerClass, EventOf, HandlerContext } from '@aftersales/messaging';
import { ComplaintsService } from '../../complaints/application/complaints.service';
import { SurveyRepository } from '../../surveys/infrastructure/survey.repository';
import { EvaluationsService } from './evaluations.service';

/**
 * Our own feedback.survey.answered.v1, consumed back: the answer is saved with its event atomically, and
 * what follows from it is applied here, each effect exactly once however often the event comes:
 * - [23] the ratings go into the technician's monthly running sums ($inc guarded by the surveyId);
 * - a complaint or suggestion left with the answer is received (id derived from the survey).
 */
@Injectable()
export class OnSurveyAnswered implements EventHandlerClass<typeof SurveyAnsweredV1> {
  readonly contract = SurveyAnsweredV1;

  constructor(
    private readonly evaluations: EvaluationsService,
    private readonly complaints: ComplaintsService,
    private readonly surveys: SurveyRepository,
  ) {}

  async handle(event: EventOf<typeof SurveyAnsweredV1>, ctx: HandlerContext): Promise<void> {
    const d = event.data;
    await this.evaluations.record({
      surveyId: d.surveyId,
      technicianId: d.technicianId,
      branchId: d.branchId,
      ratings: d.ratings,
      answeredAt: new Date(d.answeredAt),
    });
    // The event carries no complaint text; the survey document does (written in the same update).
    const survey = await this.surveys.get(d.surveyId);
    if (survey?.complaint) {
      await this.complaints.receiveFromSurvey(
        {
          surveyId: survey.surveyId,
          callId: survey.callId,
          branchId: survey.branchId,
          customerName: survey.recipient.name,
          phone: survey.recipient.phone,
          address: survey.recipient.address,
        },
        survey.complaint,
        ctx.eventKey,
      );
    }
  }
}
