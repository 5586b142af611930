/**
 * The table of results of one smoke-test run. Every value cell has a stable
 * `data-testid` so the browser test can read it.
 *
 * @module
 */
import type { AdapterDescription } from "../../lib/runtime/capabilities.ts";
import type { SmokeRun } from "./worker_client.ts";

/** Props of {@linkcode ResultView}. */
export interface ResultViewProps {
  run: SmokeRun;
}

interface _RowProps {
  label: string;
  testid: string;
  value: string;
  /** Machine-readable detail for tests, as a `data-detail` attribute. */
  detail?: string;
}

function _Row(props: _RowProps) {
  return (
    <tr>
      <th scope="row">{props.label}</th>
      <td data-testid={props.testid} data-detail={props.detail}>{props.value}</td>
    </tr>
  );
}

/**
 * The adapter in words. Browsers leave `description` empty unless WebGPU developer
 * features are on (chrome://flags), so fall back to vendor and architecture.
 */
function _adapterText(adapter: AdapterDescription | null): string {
  if (adapter === null) return "none (not a WebGPU backend)";
  if (adapter.description) return adapter.description;
  const brief = [adapter.vendor, adapter.architecture, adapter.device].filter(Boolean).join(" ");
  return `${brief || "unnamed adapter"} (the browser hides the full description)`;
}

/** Shows backend, adapter, host, checksum and timings of a finished run. */
export function ResultView({ run }: ResultViewProps) {
  const { report, host, result } = run;
  const adapter = report.adapter;
  const hostText = [
    host.host,
    host.isWorker ? "in a worker" : "on the main thread",
    `${host.hardwareConcurrency} cores`,
    host.hasWebGpuApi ? "WebGPU API present" : "no WebGPU API",
    host.sharedMemory ? "SharedArrayBuffer available" : "no SharedArrayBuffer",
  ].join(", ");
  return (
    <table class="results">
      <tbody>
        <_Row label="Backend" testid="backend" value={report.backend} />
        <_Row label="Why" testid="reason" value={report.reason} />
        <_Row
          label="Adapter"
          testid="adapter"
          value={_adapterText(adapter)}
          detail={adapter ? JSON.stringify(adapter) : undefined}
        />
        <_Row
          label="Adapter type"
          testid="adapter-kind"
          value={adapter ? (adapter.isSoftware ? "software (CPU emulation)" : "hardware") : "-"}
        />
        <_Row label="Host" testid="host" value={hostText} />
        <_Row
          label="Checksum"
          testid="checksum"
          value={String(result.checksum)}
          detail={JSON.stringify(result.parts)}
        />
        <_Row
          label="First run"
          testid="first-run-ms"
          value={`${result.firstRunMs.toFixed(1)} ms`}
        />
        <_Row label="Warm run" testid="warm-run-ms" value={`${result.warmRunMs.toFixed(1)} ms`} />
      </tbody>
    </table>
  );
}
