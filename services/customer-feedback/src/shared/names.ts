import { eventSource } from '@aftersales/messaging';

export const SERVICE = 'customer-feedback';
/** CloudEvents `source` of everything this service publishes. */
export const SOURCE = eventSource(SERVICE);
