/**
 * The "Segment" view: what `deno task segment` does, in the browser. Choose a trained
 * segmentation run folder, images and (optionally) their masks; a worker segments them
 * and the page shows overlays, metrics, regions and the output files. Nothing leaves the
 * machine: files are read by the page and handed to the worker.
 *
 * @module
 */
import { useRef, useState } from "preact/hooks";
import type { BackendRequest } from "../../lib/runtime/backend.ts";
import type { ProgressEvent } from "../../lib/train/progress.ts";
import { chooseRun, type ChosenRun } from "./chosen_run.ts";
import { FileDrop, type PickedFile } from "./file_drop.tsx";
import { describeSegmentError, segmentInWorker, type SegmentRun } from "./segment_client.ts";
import { SegmentResults } from "./segment_results.tsx";

/** Written out, not imported: see the note on value imports in main.tsx. */
const _BACKEND_CHOICES: readonly BackendRequest[] = ["auto", "wasm", "webgpu", "cpu"];
const _IMAGE = /\.(png|jpe?g|tiff?)$/i;
const _IMAGE_ACCEPT = ".png,.jpg,.jpeg,.tif,.tiff";

type _RunChoice =
  | { kind: "none" }
  | { kind: "ok"; run: ChosenRun }
  | { kind: "bad"; message: string };

type _Status =
  | { kind: "idle" }
  | { kind: "running"; progress: ProgressEvent | null }
  | { kind: "done"; run: SegmentRun }
  | { kind: "error"; message: string };

/** The image files among `files`, and a note on the others (folders hold other files). */
function _images(files: PickedFile[]): { images: PickedFile[]; note: string } {
  const images = files.filter((f) => _IMAGE.test(f.path));
  const skipped = files.filter((f) => !_IMAGE.test(f.path)).map((f) => f.path);
  const note = skipped.length === 0 ? "" : `skipped ${skipped.length} file(s) that are not ` +
    `.png, .jpg or .tif: ${skipped.slice(0, 3).join(", ")}${skipped.length > 3 ? ", ..." : ""}`;
  return { images, note };
}

function _count(files: PickedFile[], noun: string, note: string): string {
  if (files.length === 0) return note;
  const names = files.slice(0, 3).map((f) => f.file.name).join(", ");
  const more = files.length > 3 ? ", ..." : "";
  return `${files.length} ${noun}: ${names}${more}${note ? `; ${note}` : ""}`;
}

function _runText(choice: _RunChoice): string {
  if (choice.kind !== "ok") return "";
  const { run } = choice;
  return `${run.name || "run"}: ${run.channels}-channel U-Net, ${run.inputSize} px input, ` +
    `tiles of ${run.infer.tile} px`;
}

function _progressText(progress: ProgressEvent | null): string {
  if (progress === null) return "Starting the worker...";
  const total = progress.total ?? 0;
  const image = Math.min(Math.floor(progress.done) + 1, total);
  return `Image ${image} of ${total}${progress.message ? `: ${progress.message}` : ""}`;
}

/** Props of {@linkcode _NumberField}. */
interface _NumberFieldProps {
  id: string;
  label: string;
  value: string;
  placeholder: number;
  step: string;
  onInput: (value: string) => void;
}

/** A number field; "" keeps the run's own value (shown as the placeholder). */
function _NumberField(props: _NumberFieldProps) {
  return (
    <label class="field">
      {props.label}
      <input
        id={props.id}
        data-testid={props.id}
        type="number"
        min="0"
        step={props.step}
        value={props.value}
        placeholder={String(props.placeholder)}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
    </label>
  );
}

/** The view: inputs, settings, progress and results. */
export function SegmentView() {
  const [choice, setChoice] = useState<_RunChoice>({ kind: "none" });
  const [images, setImages] = useState<{ images: PickedFile[]; note: string }>(_images([]));
  const [masks, setMasks] = useState<{ images: PickedFile[]; note: string }>(_images([]));
  const [backend, setBackend] = useState<BackendRequest>("auto");
  const [threshold, setThreshold] = useState("");
  const [minArea, setMinArea] = useState("");
  const [status, setStatus] = useState<_Status>({ kind: "idle" });
  const abort = useRef<AbortController | null>(null);

  const running = status.kind === "running";
  const ready = choice.kind === "ok" && images.images.length > 0 && !running;

  const onRunFiles = (files: PickedFile[]) => {
    chooseRun(files).then(
      (run) => setChoice({ kind: "ok", run }),
      (error) => setChoice({ kind: "bad", message: describeSegmentError(error) }),
    );
  };

  const start = () => {
    if (choice.kind !== "ok") return;
    const infer: Record<string, number> = {};
    if (threshold !== "") infer.threshold = Number(threshold);
    if (minArea !== "") infer.min_area = Number(minArea);
    const controller = new AbortController();
    abort.current = controller;
    setStatus({ kind: "running", progress: null });
    segmentInWorker(backend, {
      runFiles: choice.run.files,
      images: images.images,
      masks: masks.images,
      infer,
    }, {
      signal: controller.signal,
      onProgress: (progress) => setStatus({ kind: "running", progress }),
    }).then(
      (run) => setStatus({ kind: "done", run }),
      (error) => setStatus({ kind: "error", message: describeSegmentError(error) }),
    );
  };

  const suffix = choice.kind === "ok" ? choice.run.maskSuffix : "_mask";
  return (
    <section>
      <h2>Segment</h2>
      <p class="lead">
        Whole-field segmentation with a U-Net trained by <code>deno task train</code>, as{" "}
        <code>deno task segment</code>{" "}
        does it. The files are read here and processed in a Web Worker; nothing leaves this machine.
      </p>
      <div class="drops">
        <FileDrop
          id="run-input"
          label="Run folder"
          hint="The folder deno task train wrote: run.json and model/"
          directory
          disabled={running}
          chosen={_runText(choice)}
          onFiles={onRunFiles}
        />
        <FileDrop
          id="image-input"
          label="Images"
          hint="PNG, JPEG or TIFF images (or a folder of them)"
          accept={_IMAGE_ACCEPT}
          disabled={running}
          chosen={_count(images.images, "image(s)", images.note)}
          onFiles={(files) => setImages(_images(files))}
        />
        <FileDrop
          id="mask-input"
          label="Masks (optional)"
          hint={`Ground truth for the metrics: <stem>${suffix}.<ext> or <stem>.<ext>`}
          accept={_IMAGE_ACCEPT}
          disabled={running}
          chosen={_count(masks.images, "mask(s)", masks.note)}
          onFiles={(files) => setMasks(_images(files))}
        />
      </div>
      {choice.kind === "bad" && <p class="error" data-testid="run-error">{choice.message}</p>}
      <div class="controls">
        <label for="segment-backend">Backend</label>
        <select
          id="segment-backend"
          data-testid="segment-backend"
          value={backend}
          disabled={running}
          onChange={(event) => setBackend(event.currentTarget.value as BackendRequest)}
        >
          {_BACKEND_CHOICES.map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
        <_NumberField
          id="segment-threshold"
          label="Threshold"
          value={threshold}
          placeholder={choice.kind === "ok" ? choice.run.infer.threshold : 0.75}
          step="0.05"
          onInput={setThreshold}
        />
        <_NumberField
          id="segment-min-area"
          label="Min. area (px)"
          value={minArea}
          placeholder={choice.kind === "ok" ? choice.run.infer.min_area : 64}
          step="1"
          onInput={setMinArea}
        />
        <button type="button" data-testid="segment-run" disabled={!ready} onClick={start}>
          Segment
        </button>
        {running && (
          <button
            type="button"
            data-testid="segment-cancel"
            onClick={() => abort.current?.abort()}
          >
            Cancel
          </button>
        )}
      </div>
      <p class={`status ${status.kind}`} data-testid="segment-status" data-state={status.kind}>
        {status.kind === "idle" && "Choose a run folder and images, then Segment."}
        {status.kind === "running" && _progressText(status.progress)}
        {status.kind === "done" &&
          `Done on ${status.run.report.backend} (${status.run.report.reason}) in ${
            (status.run.elapsedMs / 1e3).toFixed(1)
          } s.`}
        {status.kind === "error" && "Failed:"}
      </p>
      {status.kind === "running" && (
        <progress
          data-testid="segment-progress"
          value={status.progress?.done ?? 0}
          max={status.progress?.total ?? 1}
        />
      )}
      {status.kind === "error" && <p class="error" data-testid="segment-error">{status.message}</p>}
      {status.kind === "done" && <SegmentResults result={status.run.result} />}
    </section>
  );
}
