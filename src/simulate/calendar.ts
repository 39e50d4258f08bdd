// Business days and hours per country, in UTC milliseconds: when a bank is open, and when a
// piece of work that needs an open bank is done. Fixed UTC offsets; holidays are not modelled.
import type { CountryCalendar } from './data.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Local midnight of a local date given as days since 1970-01-01, in UTC ms. */
export function localMidnight(calendar: CountryCalendar, localDay: number): number {
  return localDay * DAY_MS - calendar.utcOffsetMinutes * MINUTE_MS;
}

export function isBusinessDay(calendar: CountryCalendar, localDay: number): boolean {
  const weekday = (((localDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return !calendar.weekend.includes(weekday);
}

/** The local day (days since 1970-01-01) a UTC instant falls on. */
export function localDayOf(calendar: CountryCalendar, at: number): number {
  return Math.floor((at + calendar.utcOffsetMinutes * MINUTE_MS) / DAY_MS);
}

/**
 * The earliest instant ≥ at when the bank is open, and the end of that opening. With
 * `cutoff`, work arriving after the day's cut-off waits for the next business day.
 */
export function nextOpen(
  calendar: CountryCalendar,
  at: number,
  cutoff = false,
): { start: number; end: number } {
  let day = localDayOf(calendar, at);
  for (let guard = 0; guard < 14; guard += 1, day += 1) {
    if (!isBusinessDay(calendar, day)) continue;
    const midnight = localMidnight(calendar, day);
    const open = midnight + calendar.open * MINUTE_MS;
    const last = midnight + (cutoff ? calendar.cutoff : calendar.close) * MINUTE_MS;
    if (at >= last) continue;
    return { start: Math.max(at, open), end: midnight + calendar.close * MINUTE_MS };
  }
  throw new Error(`simulate: ${calendar.country} has no business day in two weeks`);
}

/** When work of `durationMs` that starts at `at` (and needs the bank open) is done. */
export function workDone(
  calendar: CountryCalendar,
  at: number,
  durationMs: number,
  cutoff = false,
): number {
  let window = nextOpen(calendar, at, cutoff);
  let remaining = durationMs;
  for (let guard = 0; guard < 60; guard += 1) {
    if (window.start + remaining <= window.end) return window.start + remaining;
    remaining -= window.end - window.start;
    window = nextOpen(calendar, window.end);
  }
  return window.start + remaining;
}
