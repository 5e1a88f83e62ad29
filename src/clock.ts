/**
 * Where "now" comes from. The app reads the system's clock; the tests pass a fixed
 * day, so that what depends on today (the esercizio a session starts in, a form's
 * default date, the CUP year read from two digits, file names) never depends on the
 * day the tests run.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
