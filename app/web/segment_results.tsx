/**
 * What a finished segmentation shows: the overlay of each image, the metrics (with masks),
 * the regions, and download links for every file `deno task segment` would have written.
 * Files are shown and downloaded through blob: URLs, revoked when the results go away.
 *
 * @module
 */
import { useEffect, useMemo } from "preact/hooks";
import type { DroppedFile, SegmentResult } from "../../workers/segment_worker.ts";
import { MetricsTable, RegionsTable } from "./segment_tables.tsx";

/** Props of {@linkcode SegmentResults}. */
export interface SegmentResultsProps {
  result: SegmentResult;
}

const _TYPES: Readonly<Record<string, string>> = {
  png: "image/png",
  csv: "text/csv",
  json: "application/json",
};

function _typeOf(path: string): string {
  return _TYPES[path.slice(path.lastIndexOf(".") + 1)] ?? "application/octet-stream";
}

function _size(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

/** One blob: URL per file, revoked when `files` changes or the view unmounts. */
function _useBlobUrls(files: DroppedFile[]): Map<string, string> {
  const urls = useMemo(
    () =>
      new Map(files.map((f) => [
        f.path,
        URL.createObjectURL(
          new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: _typeOf(f.path) }),
        ),
      ])),
    [files],
  );
  useEffect(() => () => urls.forEach((url) => URL.revokeObjectURL(url)), [urls]);
  return urls;
}

function _DownloadLink(props: { file: DroppedFile; url: string }) {
  const name = props.file.path.replaceAll("/", "_");
  return (
    <li>
      <a href={props.url} download={name} data-testid="download" data-path={props.file.path}>
        {props.file.path}
      </a>{" "}
      <span class="muted">{_size(props.file.bytes.byteLength)}</span>
    </li>
  );
}

/** Overlays, metrics, regions and downloads of one run. */
export function SegmentResults({ result }: SegmentResultsProps) {
  const urls = _useBlobUrls(result.files);
  const crops = result.files.filter((f) => f.path.startsWith("crops/"));
  const main = result.files.filter((f) => !f.path.startsWith("crops/"));
  return (
    <div class="segment-results">
      <h3>Overlays</h3>
      <p class="note">
        Yellow: the prediction's outline{result.evaluation ? "; cyan: the ground truth's" : ""}.
      </p>
      {result.images.map((image) => (
        <figure key={image.stem}>
          <img
            src={urls.get(image.overlayPath)}
            alt={`${image.stem} with the outline of its segmentation`}
            data-testid="overlay"
            data-stem={image.stem}
          />
          <figcaption>
            {image.stem}: {image.width} x {image.height} px,{" "}
            {result.quantification.images[image.stem]?.length ?? 0} region(s)
          </figcaption>
        </figure>
      ))}
      {result.evaluation && (
        <>
          <h3>Metrics against the masks</h3>
          <MetricsTable evaluation={result.evaluation} infer={result.infer} />
        </>
      )}
      <h3>Regions</h3>
      <RegionsTable quantification={result.quantification} />
      <h3>Files</h3>
      <ul class="downloads">
        {main.map((file) => (
          <_DownloadLink
            key={file.path}
            file={file}
            url={urls.get(file.path)!}
          />
        ))}
      </ul>
      {crops.length > 0 && (
        <details>
          <summary>{crops.length} region crops</summary>
          <ul class="downloads">
            {crops.map((file) => (
              <_DownloadLink key={file.path} file={file} url={urls.get(file.path)!} />
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
