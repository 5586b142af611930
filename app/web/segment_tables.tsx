/**
 * The two tables of a segmentation: metrics against the ground truth (per image, pooled,
 * mean) and the regions found with their heuristic openness grade. Each number cell holds
 * its full-precision value in `data-value` for the browser test.
 *
 * @module
 */
import type { SegmentationMetrics } from "../../lib/segment/metrics.ts";
import type {
  EvaluationReport,
  InferSettings,
  QuantificationReport,
} from "../../workers/segment_worker.ts";

/** The metrics shown, in order. */
const _METRICS: readonly { key: keyof SegmentationMetrics; label: string }[] = [
  { key: "dice", label: "Dice" },
  { key: "iou", label: "IoU" },
  { key: "precision", label: "Precision" },
  { key: "recall", label: "Recall" },
];
/** Regions listed on the page; regions.csv has all of them. */
const _MAX_REGION_ROWS = 200;

/** The meaning of each `metrics.empty` policy, for the note under the table. */
const _POLICY_TEXT: Readonly<Record<string, string>> = {
  one: "a ratio with nothing to count (e.g. Dice of an empty prediction and an empty mask) is 1",
  zero: "a ratio with nothing to count (e.g. Dice of an empty prediction and an empty mask) is 0",
  nan: "a ratio with nothing to count (e.g. Dice of an empty prediction and an empty mask) is " +
    "NaN and left out of the mean",
};

function _fixed(value: number, digits = 4): string {
  return Number.isNaN(value) ? "NaN" : value.toFixed(digits);
}

function _MetricCells(props: { values: SegmentationMetrics; prefix?: string }) {
  return (
    <>
      {_METRICS.map(({ key }) => (
        <td
          key={key}
          class="num"
          data-testid={props.prefix ? `${props.prefix}-${key}` : undefined}
          data-value={String(props.values[key])}
        >
          {_fixed(props.values[key])}
        </td>
      ))}
    </>
  );
}

/** Props of {@linkcode MetricsTable}. */
export interface MetricsTableProps {
  evaluation: EvaluationReport;
  infer: InferSettings;
}

/** Dice, IoU, precision and recall per image, pooled (summed pixel counts) and averaged. */
export function MetricsTable({ evaluation, infer }: MetricsTableProps) {
  const policy = evaluation.policy.empty;
  return (
    <>
      <table class="grid" data-testid="metrics-table">
        <thead>
          <tr>
            <th scope="col">Image</th>
            {_METRICS.map(({ key, label }) => <th key={key} scope="col" class="num">{label}</th>)}
          </tr>
        </thead>
        <tbody>
          {evaluation.per_image.map((row) => (
            <tr key={row.id} data-testid="metrics-row" data-id={row.id}>
              <th scope="row">{row.id}</th>
              <_MetricCells values={row} />
            </tr>
          ))}
          <tr class="total">
            <th scope="row">pooled</th>
            <_MetricCells values={evaluation.pooled} prefix="pooled" />
          </tr>
          <tr>
            <th scope="row">mean of images</th>
            <_MetricCells values={evaluation.mean} />
          </tr>
        </tbody>
      </table>
      <p class="note" data-testid="empty-policy" data-policy={policy}>
        Empty-mask policy <code>{policy}</code>:{" "}
        {_POLICY_TEXT[policy] ?? "see evaluation.json"}. Pooled sums the pixel counts of all images.
        Prediction: probability above {infer.threshold}, regions of at least {infer.min_area} px.
      </p>
    </>
  );
}

/** Props of {@linkcode RegionsTable}. */
export interface RegionsTableProps {
  quantification: QuantificationReport;
}

/** Area, openness and grade of each region found (the first {@linkcode _MAX_REGION_ROWS}). */
export function RegionsTable({ quantification }: RegionsTableProps) {
  const rows = Object.entries(quantification.images)
    .flatMap(([stem, regions]) => regions.map((region) => ({ stem, region })));
  const shown = rows.slice(0, _MAX_REGION_ROWS);
  return (
    <>
      <p class="note" data-testid="regions-note">
        <strong>Heuristic grades.</strong> {quantification.note}
      </p>
      {rows.length === 0
        ? <p data-testid="regions-empty">No regions found.</p>
        : (
          <table class="grid" data-testid="regions-table">
            <thead>
              <tr>
                <th scope="col">Image</th>
                <th scope="col" class="num">Region</th>
                <th scope="col" class="num">Area (px)</th>
                <th scope="col" class="num">Openness</th>
                <th scope="col" class="num">Grade (heuristic)</th>
              </tr>
            </thead>
            <tbody>
              {shown.map(({ stem, region }) => (
                <tr key={`${stem}-${region.label}`} data-testid="region-row">
                  <th scope="row">{stem}</th>
                  <td class="num">{region.label}</td>
                  <td class="num">{region.area}</td>
                  <td class="num">{_fixed(region.openness, 3)}</td>
                  <td class="num">{region.grade}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {rows.length > shown.length && (
        <p class="note">Showing {shown.length} of {rows.length} regions; regions.csv has all.</p>
      )}
    </>
  );
}
