/**
 * A file input that also takes drops: files, or whole folders (walked with the File and
 * Directory Entries API), each with its path relative to what was chosen. Nothing is read
 * here; the files stay on this machine.
 *
 * @module
 */
import { useState } from "preact/hooks";

/** A chosen file and its "/"-separated path ("run/model/model.json", or just its name). */
export interface PickedFile {
  path: string;
  file: File;
}

/** Props of {@linkcode FileDrop}. */
export interface FileDropProps {
  /** The input's id, and its `data-testid`. */
  id: string;
  label: string;
  /** One line under the label on what to choose. */
  hint: string;
  /** Choose a folder (`webkitdirectory`) rather than files. Default false. */
  directory?: boolean;
  /** The `accept` filter of the file dialog, e.g. ".png,.tif". */
  accept?: string;
  disabled?: boolean;
  /** What is chosen now, in a few words ("3 images"), or "" for nothing. */
  chosen: string;
  onFiles: (files: PickedFile[]) => void;
}

/** `webkitRelativePath` when the dialog chose a folder, else the name. */
function _pathOf(file: File): string {
  return file.webkitRelativePath || file.name;
}

function _readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

/** Every file under a dropped entry; paths as `entry.fullPath` without the leading "/". */
async function _walk(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject)
    );
    out.push({ path: entry.fullPath.replace(/^\//, ""), file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (100 in Chromium) until it returns none.
  for (
    let batch = await _readEntries(reader);
    batch.length > 0;
    batch = await _readEntries(reader)
  ) {
    for (const child of batch) await _walk(child, out);
  }
}

async function _droppedFiles(data: DataTransfer): Promise<PickedFile[]> {
  // Entries must be taken synchronously, before the first await ends the drop event.
  const entries = [...data.items].map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) return [...data.files].map((file) => ({ path: file.name, file }));
  const out: PickedFile[] = [];
  for (const entry of entries) await _walk(entry, out);
  return out;
}

/** A labelled file input inside a drop zone. */
export function FileDrop(props: FileDropProps) {
  const [over, setOver] = useState(false);
  const [dropError, setDropError] = useState("");
  const folder = props.directory ? { webkitdirectory: true } : {};
  return (
    <div
      class={`drop${over ? " over" : ""}`}
      onDragOver={(event) => {
        event.preventDefault();
        if (!props.disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        if (props.disabled || !event.dataTransfer) return;
        setDropError("");
        _droppedFiles(event.dataTransfer).then(
          props.onFiles,
          (error) => setDropError(`Cannot read the dropped files: ${error?.message ?? error}`),
        );
      }}
    >
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        data-testid={props.id}
        type="file"
        multiple
        accept={props.accept}
        disabled={props.disabled}
        {...folder}
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          props.onFiles(files.map((file) => ({ path: _pathOf(file), file })));
        }}
      />
      <p class="hint">{props.chosen || props.hint}</p>
      {dropError && <p class="error">{dropError}</p>}
    </div>
  );
}
