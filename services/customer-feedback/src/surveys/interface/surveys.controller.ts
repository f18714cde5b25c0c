import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { assertBranchAccess, AuthUser, CurrentUser, isHeadOffice, Public, Roles } from '@aftersales/service-kit';
import { NotFoundError } from '@aftersales/service-kit/domain-errors';
import { Clock } from '../../shared/clock';
import { surveyView, SurveysService } from '../application/surveys.service';
import { AnswerSurveyDto, ListSurveysQuery, RunSurveysDto } from './surveys.dto';

/** The customer's side: the link in the survey. No account, the unguessable token is the credential. */
@Controller('surveys/answer')
export class SurveyAnswerController {
  constructor(private readonly surveys: SurveysService) {}

  @Get(':token')
  @Public()
  form(@Param('token') token: string) {
    return this.surveys.form(token);
  }

  /** 201 answered; 404 unknown link; 409 already answered; 410 expired; 400 ratings outside 1–4. */
  @Post(':token')
  @Public()
  answer(@Param('token') token: string, @Body() body: AnswerSurveyDto) {
    return this.surveys.answer(token, body);
  }
}

@Controller('surveys')
export class SurveysController {
  constructor(
    private readonly surveys: SurveysService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('service-dept', 'director', 'manager', 'deputy-gm', 'integrator')
  async list(@CurrentUser() user: AuthUser, @Query() query: ListSurveysQuery) {
    const branchId = isHeadOffice(user) ? query.branchId : user.branchId;
    if (query.branchId) assertBranchAccess(user, query.branchId);
    const { items, total } = await this.surveys.list({ branchId, status: query.status }, query.page, query.pageSize);
    return { page: query.page, pageSize: query.pageSize, total, items: items.map(surveyView) };
  }

  @Get('by-call/:callId')
  @Roles('service-dept', 'director', 'manager', 'deputy-gm', 'integrator', 'clerk')
  async byCall(@CurrentUser() user: AuthUser, @Param('callId') callId: string) {
    const doc = await this.surveys.byCall(callId);
    if (!doc) throw new NotFoundError(`no survey for call ${callId}`);
    assertBranchAccess(user, doc.branchId);
    return surveyView(doc);
  }

  @Get(':surveyId')
  @Roles('service-dept', 'director', 'manager', 'deputy-gm', 'integrator', 'clerk')
  async get(@CurrentUser() user: AuthUser, @Param('surveyId') surveyId: string) {
    const doc = await this.surveys.get(surveyId);
    if (!doc) throw new NotFoundError(`survey ${surveyId} does not exist`);
    assertBranchAccess(user, doc.branchId);
    return surveyView(doc);
  }

  /** Operator: send what is due now (or as of a given instant, to catch up a missed run). Idempotent. */
  @Post('run')
  @HttpCode(200)
  @Roles('service-dept')
  run(@Body() body: RunSurveysDto) {
    return this.surveys.runOnce(body.now ? new Date(body.now) : this.clock.now());
  }
}
