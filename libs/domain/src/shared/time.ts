/** An ISO-8601 timestamp string; the domain never reads a clock, time arrives in commands. */
export type IsoTimestamp = string;

/** The UTC calendar day (YYYY-MM-DD) of a timestamp; YYYY-MM-DD strings sort chronologically. */
export function utcDay(timestamp: IsoTimestamp): string {
  const millis = Date.parse(timestamp);
  if (Number.isNaN(millis)) {
    // Time comes from the adapter's clock, so a bad value is a programming error, not a user error.
    throw new TypeError(`not an ISO-8601 timestamp: "${timestamp}"`);
  }
  return new Date(millis).toISOString().slice(0, 10);
}
