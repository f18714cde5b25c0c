import type { EventContract } from './define';
import * as billing from './events/billing';
import * as dispatch from './events/dispatch';
import * as feedback from './events/feedback';
import * as intake from './events/intake';
import * as repairshop from './events/repairshop';
import * as reporting from './events/reporting';

/** Every event type of DOMAIN.md's catalogue, grouped by producer in the table's order. */
export const CATALOGUE = [
  intake.CallRegisteredV1,
  intake.CallReclassifiedV1,
  intake.CallCarriedOverV1,
  intake.CallCancelledV1,
  intake.CallClosedV1,
  dispatch.TechnicianAssignedV1,
  dispatch.TechnicianArrivedV1,
  dispatch.SlaAtRiskV1,
  dispatch.SlaBreachedV1,
  dispatch.VisitCompletedV1,
  dispatch.ProductTakenToShopV1,
  repairshop.ProductCheckedInV1,
  repairshop.RepairOverdueV1,
  repairshop.RepairCompletedV1,
  repairshop.ProductReturnedV1,
  billing.InvoiceIssuedV1,
  billing.PaymentRecordedV1,
  billing.ContractCreatedV1,
  billing.ContractRenewedV1,
  billing.ContractExpiringV1,
  billing.ContractExpiredV1,
  feedback.SurveySentV1,
  feedback.SurveyAnsweredV1,
  feedback.ComplaintReceivedV1,
  feedback.ComplaintEscalatedV1,
  feedback.ComplaintResolvedV1,
  feedback.ComplaintCustomerNotifiedV1,
  feedback.TechnicianEvaluatedV1,
  reporting.DirectorReportSignedV1,
  reporting.DirectorReportReceivedV1,
] as const;

const BY_TYPE = new Map<string, EventContract>();
for (const contract of CATALOGUE) {
  // A type declared twice would make consumers decode with the wrong schema: refuse to load.
  if (BY_TYPE.has(contract.type)) throw new Error(`event type "${contract.type}" is declared twice`);
  BY_TYPE.set(contract.type, contract);
}

/** The contract of an incoming event's `type`, or undefined for a type this build does not know. */
export const eventContract = (type: string): EventContract | undefined => BY_TYPE.get(type);
