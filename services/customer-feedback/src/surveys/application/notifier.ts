/** A message to a customer: the survey card, later also complaint outcomes sent in writing. */
export interface OutgoingMessage {
  /** Stable id of what is being sent (the surveyId): adapters use it to name or tag the message. */
  id: string;
  to: { name: string; email?: string; phone?: string; address?: string };
  subject: string;
  text: string;
}

export interface Delivery {
  channel: 'email' | 'file' | 'sms';
  /** Where it went: a message id, a file path, an address. */
  ref: string;
}

/** Port: sends one message to a customer. Throws when it could not be handed over (the caller retries). */
export abstract class Notifier {
  abstract send(message: OutgoingMessage): Promise<Delivery>;
}

/**
 * Port only, no adapter yet: text messages to the customer's phone (every call has a phone number, so
 * this is the channel for customers without e-mail once a provider is chosen).
 */
export abstract class SmsSender {
  abstract sendSms(phone: string, text: string): Promise<Delivery>;
}
