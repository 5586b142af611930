/**
 * Image/mask pairs for segmentation, read through a {@linkcode Storage} (files in Deno,
 * IndexedDB in browsers). Three layouts are accepted:
 *
 * - two folders, each image `<stem>.<ext>` with the mask `<stem>_mask.<ext2>` (the glomeruli
 *   set: images/T19_Image0.jpg + masks/T19_Image0_mask.jpg);
 * - two folders with the same stems (EM slices: raw/00.tif + mito/00.png);
 * - two multi-page TIFF files (Lucchi: training.tif + training_groundtruth.tif), pages paired
 *   by index.
 *
 * A location is a folder or a file as the Storage contract tells them apart: `list` of a file
 * is a TypeError. Extensions: png, jpg, jpeg, tif, tiff (any case); other files in the
 * folders (README, JSON annotations) are ignored.
 *
 * @module
 */
import type { Storage } from "../io/storage.ts";
import type { ProgressListener } from "../train/progress.ts";
import { decodeImage, decodeImageStack } from "../image/decode_image.ts";
import { toGrey8, toRgb8 } from "../image/convert.ts";
import { binarizeMask } from "../image/mask.ts";

/** One image with its binary mask, in memory. */
export interface SegSample {
  /** The image file's stem ("T19_Image0"), or "<stack file>#<page>" ("training.tif#0"). */
  id: string;
  /** Who the image comes from, for subject-wise splits (see `subjectPattern`). */
  subject: string;
  width: number;
  height: number;
  channels: 1 | 3;
  /** 8-bit pixels, row-major, channel-interleaved (HWC): width * height * channels values. */
  image: Uint8Array;
  /** 0/1 per pixel, row-major: width * height values. */
  mask: Uint8Array;
}

/** Where images or masks are: a folder, or a multi-page TIFF file, inside a storage. */
export interface SegLocation {
  storage: Storage;
  /** A folder ("" for the storage root) or a file path. */
  dir: string;
}

/** One image/mask pair found in storage, before decoding. */
export interface SegPairRef {
  /** The image stem; for a pair of stacks, the image stack's file name. */
  id: string;
  subject: string;
  imagePath: string;
  maskPath: string;
  /** True for a pair of multi-page files (its pages become samples when loaded). */
  stack: boolean;
}

/** Options for {@linkcode listSegmentationPairs}. */
export interface SegPairOptions {
  /** Suffix of a mask's stem after the image stem. Default "_mask"; the bare stem also matches. */
  maskSuffix?: string;
  /**
   * A RegExp (source text) with one capture group applied to the image stem (for stacks, the
   * stack's stem); the group is the subject. Default `^([^_]+)_` ("T19_Image0" -> "T19").
   * No match gives subject "all" (e.g. EM slices "00", "01", ... of one stack).
   */
  subjectPattern?: string;
}

/** Options for {@linkcode loadSegmentationPairs}. */
export interface LoadSegmentationOptions extends SegPairOptions {
  /** Channels of the loaded images: 3 (RGB, histology; the default) or 1 (grey, EM). */
  channels?: 1 | 3;
  /** Mask pixels whose grey value is above this (0..255, see binarizeMask) are 1. Default 127. */
  threshold?: number;
  /** Loads only the pairs this returns true for (decoding is the slow part). Default all. */
  include?: (ref: SegPairRef) => boolean;
  /** Called after each pair (or stack) is decoded; job "seg-dataset". */
  onProgress?: ProgressListener;
}

const _IMAGE_EXT = /\.(png|jpe?g|tiff?)$/i;

/**
 * Finds the image/mask pairs without decoding them, sorted by id.
 *
 * @example
 * ```ts
 * import { MemoryStorage } from "../io/memory_storage.ts";
 * import { listSegmentationPairs } from "./seg_dataset.ts";
 * const storage = new MemoryStorage();
 * await storage.writeBytes("images/T19_Image0.jpg", new Uint8Array(1));
 * await storage.writeBytes("masks/T19_Image0_mask.png", new Uint8Array(1));
 * const [pair] = await listSegmentationPairs({ storage, dir: "images" }, { storage, dir: "masks" });
 * console.assert(pair.subject === "T19" && pair.maskPath === "masks/T19_Image0_mask.png");
 * ```
 */
export async function listSegmentationPairs(
  images: SegLocation,
  masks: SegLocation,
  options: SegPairOptions = {},
): Promise<SegPairRef[]> {
  const suffix = options.maskSuffix ?? "_mask";
  const subjectOf = _subjectParser(options.subjectPattern ?? "^([^_]+)_");
  const imageFiles = await _folderFiles(images, "images");
  const maskFiles = await _folderFiles(masks, "masks");
  if ((imageFiles === null) !== (maskFiles === null)) {
    const kind = (files: string[] | null) => (files === null ? "file" : "folder");
    throw new TypeError(
      `Cannot pair images and masks as both must be folders or both multi-page files: current ` +
        `value is ${kind(imageFiles)} "${images.dir}" and ${kind(maskFiles)} "${masks.dir}"`,
    );
  }
  if (imageFiles === null || maskFiles === null) {
    const [imagePath, maskPath] = [_trim(images.dir), _trim(masks.dir)];
    const id = imagePath.split("/").pop()!;
    return [{ id, subject: subjectOf(_stem(id)), imagePath, maskPath, stack: true }];
  }
  const sameFolder = images.storage === masks.storage && _trim(images.dir) === _trim(masks.dir);
  const imageNames = imageFiles.filter((n) => !(sameFolder && _stem(n).endsWith(suffix)));
  if (imageNames.length === 0) {
    throw new RangeError(
      `Cannot pair images and masks as the image folder must hold png/jpg/tif files: ` +
        `current value is no image in "${images.dir}" of ${images.storage.location}`,
    );
  }
  const masksByStem = new Map<string, string[]>();
  for (const name of maskFiles) {
    if (sameFolder && !_stem(name).endsWith(suffix)) continue;
    masksByStem.set(_stem(name), [...(masksByStem.get(_stem(name)) ?? []), name]);
  }
  const used = new Set<string>(), seen = new Map<string, string>(), missing: string[] = [];
  const pairs: SegPairRef[] = [];
  for (const name of imageNames) {
    const stem = _stem(name);
    if (seen.has(stem)) {
      throw new RangeError(
        `Cannot pair images and masks as image stems must be unique: current value is ` +
          `"${seen.get(stem)}" and "${name}" in "${images.dir}"`,
      );
    }
    seen.set(stem, name);
    const candidates = [
      ...(masksByStem.get(stem + suffix) ?? []),
      // The bare stem too, unless it is the same key (suffix "") or the same folder.
      ...(sameFolder || suffix === "" ? [] : masksByStem.get(stem) ?? []),
    ];
    if (candidates.length === 0) {
      missing.push(name);
      continue;
    }
    if (candidates.length > 1) {
      throw new RangeError(
        `Cannot pair images and masks as each image must have exactly one mask: current value is ` +
          `"${name}" with masks ${candidates.map((c) => `"${c}"`).join(", ")} in "${masks.dir}"`,
      );
    }
    used.add(candidates[0]);
    pairs.push({
      id: stem,
      subject: subjectOf(stem),
      imagePath: _join(images.dir, name),
      maskPath: _join(masks.dir, candidates[0]),
      stack: false,
    });
  }
  if (missing.length > 0) {
    throw new RangeError(
      `Cannot pair images and masks as every image needs a mask "<stem>${suffix}.<ext>" or ` +
        `"<stem>.<ext>" in "${masks.dir}": current value is ${missing.length} image(s) ` +
        `without a mask (${_few(missing)}) in "${images.dir}"`,
    );
  }
  const orphans = [...masksByStem.values()].flat().filter((n) => !used.has(n));
  if (orphans.length > 0) {
    throw new RangeError(
      `Cannot pair images and masks as every mask needs an image "<stem>.<ext>" in ` +
        `"${images.dir}": current value is ${orphans.length} mask(s) without an image ` +
        `(${_few(orphans)}) in "${masks.dir}"`,
    );
  }
  return pairs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Loads image/mask pairs (see the module doc for the layouts): images become 8-bit RGB or
 * grey, masks 0/1 at > `threshold`. A missing partner or a size mismatch is a RangeError
 * naming both files; undecodable bytes are the decoder's SyntaxError naming the file.
 *
 * @example
 * ```ts
 * import { MemoryStorage } from "../io/memory_storage.ts";
 * import { encodePng } from "../image/png.ts";
 * import { loadSegmentationPairs } from "./seg_dataset.ts";
 * const storage = new MemoryStorage();
 * const grey = (data: number[]) =>
 *   encodePng({ width: 2, height: 1, channels: 1, depth: 8, data: new Uint8Array(data) });
 * await storage.writeBytes("raw/00.png", grey([10, 20]));
 * await storage.writeBytes("mito/00.png", grey([0, 255]));
 * const [s] = await loadSegmentationPairs({ storage, dir: "raw" }, { storage, dir: "mito" }, {
 *   channels: 1,
 * });
 * console.assert(s.id === "00" && s.subject === "all" && s.mask.join() === "0,1");
 * ```
 */
export async function loadSegmentationPairs(
  images: SegLocation,
  masks: SegLocation,
  options: LoadSegmentationOptions = {},
): Promise<SegSample[]> {
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) {
    throw new RangeError(
      `Cannot load segmentation pairs as channels must be 1 or 3: current value is ${channels}`,
    );
  }
  const threshold = options.threshold ?? 127;
  const refs = (await listSegmentationPairs(images, masks, options))
    .filter((ref) => options.include?.(ref) ?? true);
  const samples: SegSample[] = [];
  let done = 0;
  for (const ref of refs) {
    const decode = (bytes: Uint8Array, source: string) =>
      ref.stack ? decodeImageStack(bytes, { source }) : [decodeImage(bytes, { source })];
    const imagePages = decode(await images.storage.readBytes(ref.imagePath), ref.imagePath);
    const maskPages = decode(await masks.storage.readBytes(ref.maskPath), ref.maskPath);
    if (imagePages.length !== maskPages.length) {
      throw new RangeError(
        `Cannot pair images and masks as both stacks must have the same number of pages: ` +
          `current value is ${imagePages.length} in "${ref.imagePath}" and ` +
          `${maskPages.length} in "${ref.maskPath}"`,
      );
    }
    imagePages.forEach((image, page) => {
      const mask = maskPages[page];
      const where = ref.stack ? ` page ${page}` : "";
      if (image.width !== mask.width || image.height !== mask.height) {
        throw new RangeError(
          `Cannot pair images and masks as a mask must have its image's size: current value is ` +
            `"${ref.imagePath}"${where} ${image.width}x${image.height} and ` +
            `"${ref.maskPath}"${where} ${mask.width}x${mask.height}`,
        );
      }
      samples.push({
        id: ref.stack ? `${ref.id}#${page}` : ref.id,
        subject: ref.subject,
        width: image.width,
        height: image.height,
        channels,
        image: channels === 3 ? toRgb8(image) : toGrey8(image),
        mask: binarizeMask(mask, { threshold }),
      });
    });
    done++;
    options.onProgress?.({ job: "seg-dataset", done, total: refs.length, message: ref.id });
  }
  return samples;
}

/** The image files of a folder (sorted), or null when the location is a file. */
async function _folderFiles(location: SegLocation, what: string): Promise<string[] | null> {
  const { storage, dir } = location;
  if (!(await storage.exists(dir))) {
    throw new RangeError(
      `Cannot load ${what} as the folder or file must exist: current value is "${dir}" ` +
        `in ${storage.location}`,
    );
  }
  try {
    return (await storage.list(dir)).filter((name) => _IMAGE_EXT.test(name));
  } catch (error) {
    // The Storage contract: a file where a folder is expected is a TypeError.
    if (error instanceof TypeError) return null;
    throw error;
  }
}

function _subjectParser(pattern: string): (stem: string) => string {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    throw new SyntaxError(
      `Cannot parse subjectPattern as a regular expression: current value is ` +
        `${JSON.stringify(pattern)} (${(error as Error).message})`,
    );
  }
  // An alternative that matches "" reports how many groups the pattern has.
  if (new RegExp(`(?:${pattern})|`).exec("")!.length < 2) {
    throw new RangeError(
      `Cannot use subjectPattern as it needs one capture group for the subject: current value ` +
        `is ${JSON.stringify(pattern)}`,
    );
  }
  return (stem) => regex.exec(stem)?.[1] || "all";
}

const _few = (names: string[]) => names.slice(0, 5).join(", ") + (names.length > 5 ? ", ..." : "");
const _trim = (dir: string) => dir.replace(/^\/+|\/+$/g, "");
const _join = (dir: string, name: string) => (_trim(dir) === "" ? name : `${_trim(dir)}/${name}`);
const _stem = (name: string) => name.replace(_IMAGE_EXT, "");
