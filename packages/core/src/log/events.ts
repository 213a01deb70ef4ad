/**
 * Event IDs shared by every provider, as the vendor manuals number them.
 *
 * @see seed 002 "Logs": 5550–5557
 * @module log
 */
export const EventId = {
  /** Successful configuration events. */
  ConfigSuccess: 5550,
  /** Failed configuration events. */
  ConfigFailure: 5551,
  /** Successful provider events (start, delivery, registration…). */
  ProviderSuccess: 5552,
  /** Failed provider events (store/channel failures, tampered messages…). */
  ProviderFailure: 5553,
  /** Successful OTP validation. */
  OtpSuccess: 5556,
  /** Failed OTP validation. */
  OtpFailure: 5557,
} as const;

/** One of the event IDs above. */
export type EventId = (typeof EventId)[keyof typeof EventId];
