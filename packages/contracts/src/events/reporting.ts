import { defineEvent } from '../define';
import { BusinessDate, Id, Instant } from './common';

// Consumers are external integrators, not one of the six services, hence `consumers: []`.

export const DirectorReportSignedV1 = defineEvent({
  type: 'reporting.director-report.signed.v1',
  producer: 'reporting',
  consumers: [],
  description: '[17] The branch manager verified and signed the director daily report (for integrators).',
  data: { businessDate: BusinessDate, signedBy: Id, signedAt: Instant },
});

export const DirectorReportReceivedV1 = defineEvent({
  type: 'reporting.director-report.received.v1',
  producer: 'reporting',
  consumers: [],
  description: '[17] The head-office service department received the signed director daily report (for integrators).',
  data: { businessDate: BusinessDate, signedBy: Id, receivedBy: Id, receivedAt: Instant },
});
