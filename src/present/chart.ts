/**
 * A timeline as a picture: Vega-Lite describes the chart, Vega renders it to SVG headless (no
 * browser, no canvas), and resvg (prebuilt, from npm) turns the SVG into a PNG of a fixed size.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Timeline } from '../answer/timeline.js';
import { periodStart } from '../coverage/timeline.js';
import { displayText } from './text.js';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 600;

const UNIT_WORD = { day: 'day', week: 'week from Monday', month: 'month' } as const;
const KINDS = ['independent report', 'retelling'];

/** The Vega-Lite description of a timeline: stacked bars per period, the first report marked. */
export function timelineSpec(timeline: Timeline): TopLevelSpec {
  const rows = timeline.bins.flatMap((bin) => [
    { period: bin.start, kind: KINDS[0], sources: bin.reports },
    { period: bin.start, kind: KINDS[1], sources: bin.retellings },
  ]);
  const reports = timeline.entries.filter((e) => !e.retelling).length;
  const subtitle = `${timeline.entries.length} dated source${timeline.entries.length === 1 ? '' : 's'}: ${reports} independent, ${timeline.entries.length - reports} retelling${timeline.entries.length - reports === 1 ? '' : 's'}` +
    (timeline.undated ? `; ${timeline.undated} undated not shown` : '');
  const first = timeline.first;
  const firstPeriod = first ? periodStart(first.day, timeline.unit) : null;
  const firstLabel = first ? `first report: ${displayText(first.source.title ?? first.source.id).slice(0, 60)} (${first.source.outlet ? `${first.source.outlet}, ` : ''}${first.day})` : '';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    padding: 16,
    title: { text: `Coverage over time: ${displayText(timeline.topic).slice(0, 90)}`, subtitle, anchor: 'start', fontSize: 18 },
    data: { values: rows },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'period', type: 'ordinal', sort: null, title: `Published, by ${UNIT_WORD[timeline.unit]} (UTC)`, axis: { labelAngle: -45, labelOverlap: true } },
          y: { field: 'sources', type: 'quantitative', aggregate: 'sum', title: 'Sources', axis: { tickMinStep: 1 } },
          color: { field: 'kind', type: 'nominal', scale: { domain: KINDS, range: ['#2b6cb0', '#f6ad55'] }, legend: { title: null, orient: 'top', direction: 'horizontal', symbolType: 'square', symbolSize: 150, labelFontSize: 13, labelLimit: 300 } },
        },
      },
      ...(first
        ? [
            { data: { values: [{}] }, mark: { type: 'rule' as const, strokeDash: [6, 4], color: '#c53030', strokeWidth: 2 }, encoding: { x: { datum: firstPeriod, type: 'ordinal' as const } } },
            { data: { values: [{}] }, mark: { type: 'text' as const, align: 'left' as const, dx: 6, dy: 12, color: '#c53030', fontSize: 13 }, encoding: { text: { value: firstLabel }, x: { datum: firstPeriod, type: 'ordinal' as const }, y: { value: 0 } } },
          ]
        : []),
    ],
  } as TopLevelSpec;
}

/** The chart as SVG, rendered by Vega without a browser. */
export async function timelineSvg(timeline: Timeline): Promise<string> {
  const view = new vega.View(vega.parse(compile(timelineSpec(timeline)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The chart as a PNG of exactly CHART_WIDTH × CHART_HEIGHT pixels. */
export async function timelinePng(timeline: Timeline): Promise<Buffer> {
  const svg = await timelineSvg(timeline);
  const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: CHART_WIDTH }, background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return resvg.render().asPng();
}
