/**
 * What the adapter shows the user for each outcome. The adapter decides *what* happened; the
 * presenter turns it into localised text (i18n) and the operator's ui_customization HTML.
 *
 * @module adapter
 */
import type { DeliveryReceipt, Presentation } from './delivery-channel.js';

/** Builds the presentation of each outcome, in the user's language. */
export interface Presenter {
  enterCode(lang: string): Presentation;
  codeSent(lang: string, receipt: DeliveryReceipt, validUntil: Date): Presentation;
  deliveryFailed(lang: string, userMessage?: string): Presentation;
  unavailable(lang: string): Presentation;
  disabled(lang: string): Presentation;
  locked(lang: string, until: Date): Presentation;
  expired(lang: string): Presentation;
  reusedCode(lang: string): Presentation;
  invalidCode(lang: string, malformed: boolean, digits: number): Presentation;
}
