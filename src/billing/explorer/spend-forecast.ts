const DAY_MS = 86_400_000;

/** Complete days of history the run-rate looks at (they may reach into the previous period). */
export const FORECAST_LOOKBACK_DAYS = 14;
/** Half-life of a day's weight in the run-rate: last week counts twice as much as the week before. */
export const FORECAST_HALF_LIFE_DAYS = 7;
// z for a two-sided 80% interval, the band AWS Cost Explorer draws around its forecasts.
const Z80 = 1.2816;

export interface ForecastInput {
  periodStart: Date;
  /** Exclusive. */
  periodEnd: Date;
  now: Date;
  /** Cost per UTC day (`YYYY-MM-DD`) from at least FORECAST_LOOKBACK_DAYS before today through today so far. */
  daily: ReadonlyMap<string, number>;
}

export interface SpendForecast {
  /** Spent from the period's start until now. */
  actualUsd: number;
  /** Expected total for the whole period. */
  forecastUsd: number;
  /** 80% prediction interval of the total (never below what is already spent). */
  lowUsd: number;
  highUsd: number;
  /** Daily run-rate the forecast extends. */
  dailyRateUsd: number;
  /** Complete days the rate was taken from (0: only today's hours so far). */
  basisDays: number;
}

export const dayOf = (d: Date): string => d.toISOString().slice(0, 10);
const midnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/**
 * Spent so far plus a daily run-rate times the time left. The rate is an exponentially weighted mean of the last
 * complete days (half-life a week) rather than month-to-date ÷ days elapsed, because (1) on the 1st and 2nd of a month
 * the month so far is a few hours, and last month's final fortnight predicts far better; (2) a workload that started
 * or stopped mid-month moves the forecast within days instead of being averaged with weeks that no longer apply.
 * Days before the first day with any spend in the window are not counted as zeros: a new project is not a cheap one.
 * With no complete day yet, today's spend is extrapolated from the hours elapsed (at least one, to damp noise). The
 * interval treats days as independent draws with the weighted variance of the history: ± z·σ·√(days left). Under two
 * complete days say nothing of how much a day varies, so there σ is taken as the rate itself (a day may cost twice
 * the rate or nothing) rather than zero, which drew a band of no width around a forecast resting on a few hours.
 */
export function forecastSpend(input: ForecastInput): SpendForecast {
  const { periodStart, periodEnd, now, daily } = input;
  const today = midnight(now);
  let actual = 0;
  for (const [day, cost] of daily) if (day >= dayOf(periodStart) && day <= dayOf(now)) actual += cost;

  const history: number[] = [];
  let seen = false;
  for (let i = FORECAST_LOOKBACK_DAYS; i >= 1; i--) {
    const cost = daily.get(dayOf(new Date(today.getTime() - i * DAY_MS))) ?? 0;
    if (cost > 0) seen = true;
    if (seen) history.push(cost);
  }

  let rate: number;
  let sigma = 0;
  if (history.length) {
    let wSum = 0;
    let mean = 0;
    const weights = history.map((_, i) => 0.5 ** ((history.length - 1 - i) / FORECAST_HALF_LIFE_DAYS));
    history.forEach((c, i) => {
      wSum += weights[i]!;
      mean += weights[i]! * c;
    });
    rate = mean / wSum;
    if (history.length >= 2) {
      let v = 0;
      history.forEach((c, i) => {
        v += weights[i]! * (c - rate) ** 2;
      });
      sigma = Math.sqrt(v / wSum);
    }
  } else {
    const elapsedDays = Math.max((now.getTime() - today.getTime()) / DAY_MS, 1 / 24);
    rate = (daily.get(dayOf(now)) ?? 0) / elapsedDays;
  }
  if (history.length < 2) sigma = rate;

  const left = Math.max(0, (periodEnd.getTime() - now.getTime()) / DAY_MS);
  const forecast = actual + rate * left;
  const band = Z80 * sigma * Math.sqrt(left);
  return {
    actualUsd: actual,
    forecastUsd: forecast,
    lowUsd: Math.max(actual, forecast - band),
    highUsd: forecast + band,
    dailyRateUsd: rate,
    basisDays: history.length,
  };
}

/** The first instant of the UTC month holding `d`, and of the next. */
export function monthOf(d: Date): { start: Date; end: Date } {
  return { start: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)), end: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)) };
}

/** The first day of the lookback window the forecast needs for `now`. */
export function lookbackStart(now: Date): Date {
  return new Date(midnight(now).getTime() - FORECAST_LOOKBACK_DAYS * DAY_MS);
}
