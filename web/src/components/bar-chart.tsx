import { useId } from 'react';
import './bar-chart.css';

export interface BarChartProps {
  /** What the chart shows, also its accessible name ("Spend per day"). */
  title: string;
  /** One label per bar, for tooltips; `axisLabels` picks the few written under the axis. */
  labels: string[];
  /** Series names; one colour each, in order. */
  names: string[];
  /** values[bar][series]. */
  values: number[][];
  format: (n: number) => string;
  /** A fixed top of the scale (1 for a share); the largest stack otherwise. */
  max?: number;
}

const WIDTH = 720;
const HEIGHT = 200;
const PAD_TOP = 8;
const PAD_BOTTOM = 1;
const PAD_LEFT = 4;

/**
 * Stacked bars drawn as inline SVG: a chart library would outweigh the rest of the console, and a few rectangles say
 * enough. Each bar carries a tooltip with its figures, and the legend names the colours.
 */
export function BarChart({ title, labels, names, values, format, max }: BarChartProps) {
  const id = useId();
  const stacks = values.map((v) => v.reduce((a, b) => a + b, 0));
  const top = max ?? Math.max(0, ...stacks);
  const n = Math.max(labels.length, 1);
  const slot = (WIDTH - PAD_LEFT) / n;
  // Capped, so that a throughput bought an hour ago is one slim bar rather than a slab across the chart.
  const barWidth = Math.max(1, Math.min(slot * 0.72, 48));
  const plot = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const scale = (v: number) => (top > 0 ? (Math.min(v, top) / top) * plot : 0);
  // First, middle and last labels: enough to place the bars in time without writing over each other.
  const axis = new Set(labels.length > 2 ? [0, Math.floor((labels.length - 1) / 2), labels.length - 1] : labels.map((_, i) => i));

  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">
        {title} <span className="muted small">(top of scale {format(top)})</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" preserveAspectRatio="none" className="chart-svg">
        <title>{title}</title>
        <line x1={0} x2={WIDTH} y1={HEIGHT - PAD_BOTTOM} y2={HEIGHT - PAD_BOTTOM} className="chart-axis" vectorEffect="non-scaling-stroke" />
        <line x1={0} x2={WIDTH} y1={PAD_TOP} y2={PAD_TOP} className="chart-grid" vectorEffect="non-scaling-stroke" />
        {values.map((v, i) => {
          const x = PAD_LEFT + i * slot + (slot - barWidth) / 2;
          let y = HEIGHT - PAD_BOTTOM;
          const tip = [labels[i], ...names.map((name, s) => `${name}: ${format(v[s] ?? 0)}`)].join('\n');
          return (
            <g key={labels[i] ?? i} data-bar={labels[i]}>
              <title>{tip}</title>
              {/* A transparent full-height target, so a tooltip shows over an empty bar too. */}
              <rect x={x} y={PAD_TOP} width={barWidth} height={plot} className="chart-hit" />
              {v.map((value, s) => {
                const h = scale(value);
                if (h <= 0) return null;
                y -= h;
                return <rect key={names[s]} x={x} y={y} width={barWidth} height={h} className={`chart-series-${s % 6}`} />;
              })}
            </g>
          );
        })}
      </svg>
      {/* Written in HTML under the bars: text inside a stretched SVG would be stretched with it. */}
      <div className="chart-axis-labels" aria-hidden="true">
        {[...axis].map((i) => (
          <span key={i}>{labels[i]}</span>
        ))}
      </div>
      {names.length > 1 && (
        <ul className="chart-legend" aria-label={`${title} legend`}>
          {names.map((name, s) => (
            <li key={name}>
              <span className={`chart-swatch chart-series-${s % 6}`} aria-hidden="true" /> {name}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
