/**
 * Lazy reader of EDF, EDF+ and BDF files from a {@linkcode ByteSource}: the header is
 * parsed once, samples are read only for the channels and time range asked for.
 *
 * @module
 */
import type { ByteSource } from "./byte_source.ts";
import type { EdfHeader, EdfSignalHeader, OnInvalid } from "./edf_header.ts";
import { type EdfAnnotation, type EdfTimeline, readEdfTimeline } from "./edf_timeline.ts";
import { parseEdfHeader } from "./parse_edf_header.ts";
import { signalScale } from "./signal_scale.ts";
import { _decodeSamples, _int16View } from "./_decode_samples.ts";
import { _fieldText } from "./_header_fields.ts";
import { _DEFAULT_LIMITS, _readSpanChunks, type _Span } from "./_read_spans.ts";

/** Options of {@linkcode EdfReader.open}. */
export interface EdfOpenOptions {
  /** Recoverable oddities: "warn" (default) collects them in `warnings`, "throw" throws. */
  onInvalid?: OnInvalid;
}

/** Which samples {@linkcode EdfReader.readSignals} returns. */
export interface ReadSignalsOptions {
  /** Labels or 0-based signal indices; default: every signal that is not an annotation signal. */
  channels?: (string | number)[];
  /** Start of the range in seconds (default 0); samples at t >= startSeconds are included. */
  startSeconds?: number;
  /** End of the range in seconds (default: the end of the data); samples at t < endSeconds. */
  endSeconds?: number;
  /**
   * Lay the records out on the time axis of their onsets (from the time-keeping TALs) and
   * fill the gaps between them with this value (e.g. NaN). Only EDF+D files have gaps.
   * Without it records are concatenated as stored (record r starts at r x duration), which
   * for EDF+D is not real time: see {@linkcode EdfReader.readTimeline}.
   */
  gapFill?: number;
}

/** Samples of some channels over one time range. */
export interface EdfSignalBlock<T extends Float32Array | Int32Array> {
  /** The header of each channel read, in the order asked for. */
  signals: EdfSignalHeader[];
  /** One array per channel: physical values in the file's unit (or digital values). */
  data: T[];
  /** Per channel, the index of `data[c][0]` on that channel's sample axis. */
  firstSample: number[];
  /** Per channel, the time of `data[c][0]` in seconds: firstSample / sampleRateHz. */
  startSeconds: number[];
}

/**
 * An open EDF/EDF+/BDF file.
 *
 * @example
 * ```ts
 * import { bytesSource } from "./byte_source.ts";
 * import { EdfReader } from "./edf_reader.ts";
 * import { writeEdf } from "./write_edf.ts";
 * // A physical range of 65535 units over the 16-bit range makes one unit per step.
 * const data = Float32Array.from({ length: 8 }, (_, i) => i);
 * const bytes = writeEdf({
 *   signals: [{ label: "Cz", sampleRateHz: 4, data, physicalMin: -32768, physicalMax: 32767 }],
 * });
 * const reader = await EdfReader.open(bytesSource(bytes));
 * const block = await reader.readSignals({ channels: ["Cz"], startSeconds: 1 });
 * console.assert(block.data[0].join() === "4,5,6,7" && block.firstSample[0] === 4);
 * ```
 */
export class EdfReader {
  readonly source: ByteSource;
  readonly header: EdfHeader;
  readonly #onInvalid: OnInvalid;
  readonly #warnings: string[] = [];
  #timeline: Promise<EdfTimeline> | null = null;

  private constructor(source: ByteSource, header: EdfHeader, onInvalid: OnInvalid) {
    this.source = source;
    this.header = header;
    this.#onInvalid = onInvalid;
  }

  /** Reads and parses the header (two small reads); throws EdfFormatError on fatal faults. */
  static async open(source: ByteSource, options: EdfOpenOptions = {}): Promise<EdfReader> {
    const { onInvalid = "warn" } = options;
    const size = source.size;
    let length = Math.min(256, size);
    const fixed = await source.read(0, length);
    // Read the signal headers too when the signal count parses; else the parser reports it.
    const count = Number(_fieldText(fixed, 252, 4).trim());
    if (fixed.length === 256 && Number.isSafeInteger(count) && count > 0) {
      length = Math.min(size, 256 * (count + 1));
    }
    let bytes = fixed;
    if (length > fixed.length) {
      bytes = new Uint8Array(length);
      bytes.set(fixed);
      bytes.set(await source.read(fixed.length, length - fixed.length), fixed.length);
    }
    return new EdfReader(source, parseEdfHeader(bytes, { fileSize: size, onInvalid }), onInvalid);
  }

  /** Header warnings, then those found while reading annotations. */
  get warnings(): string[] {
    return [...this.header.warnings, ...this.#warnings];
  }

  /** Record onsets and annotations (scans the annotation signals once, then cached). */
  readTimeline(): Promise<EdfTimeline> {
    this.#timeline ??= readEdfTimeline(this.source, this.header, {
      onInvalid: this.#onInvalid,
      warnings: this.#warnings,
    }).catch((error) => {
      this.#timeline = null;
      throw error;
    });
    return this.#timeline;
  }

  /** The EDF+ annotations, onsets in seconds from the first record's start. */
  async readAnnotations(): Promise<EdfAnnotation[]> {
    return (await this.readTimeline()).annotations;
  }

  /**
   * Physical values per channel: float32 in each signal's own unit (multiply by
   * voltsPerUnit(signal.physicalDimension) for volts). float32 keeps 24 bits, so where a
   * large DC offset dwarfs the resolution (e.g. 175940 uV in steps of 0.0004 uV) values are
   * rounded to float32's spacing; readDigitalSignals + signalScale give exact float64 values.
   */
  readSignals(options: ReadSignalsOptions = {}): Promise<EdfSignalBlock<Float32Array>> {
    return this.#read(options, (n) => new Float32Array(n), true);
  }

  /** The stored integers per channel, unscaled (records concatenated as stored). */
  readDigitalSignals(
    options: Omit<ReadSignalsOptions, "gapFill"> = {},
  ): Promise<EdfSignalBlock<Int32Array>> {
    return this.#read({ ...options, gapFill: undefined }, (n) => new Int32Array(n), false);
  }

  /** The headers of the channels asked for (all non-annotation signals by default). */
  resolveChannels(channels?: (string | number)[]): EdfSignalHeader[] {
    const { signals } = this.header;
    if (channels === undefined) return signals.filter((s) => !s.isAnnotation);
    if (!Array.isArray(channels)) {
      throw new TypeError(
        `Cannot select channels as they must be an array: current value is ${String(channels)}`,
      );
    }
    return channels.map((channel) => {
      const signal = typeof channel === "number"
        ? signals[Number.isInteger(channel) ? channel : -1]
        : signals.find((s) => s.label === channel);
      if (signal === undefined) {
        throw new RangeError(
          `Cannot select channel ${JSON.stringify(channel)} as it must be a label or an index ` +
            `0..${signals.length - 1} of this file (labels: ${
              signals.map((s) => s.label).join(", ")
            }): ` +
            `current value is ${JSON.stringify(channel)}`,
        );
      }
      if (signal.isAnnotation) {
        throw new RangeError(
          `Cannot read samples of channel ${
            JSON.stringify(channel)
          } as it must not be an annotation ` +
            `signal (use readAnnotations): current value is ${JSON.stringify(signal.label)}`,
        );
      }
      return signal;
    });
  }

  async #read<T extends Float32Array | Int32Array>(
    options: ReadSignalsOptions,
    allocate: (length: number) => T,
    scaled: boolean,
  ): Promise<EdfSignalBlock<T>> {
    const { header } = this;
    const channels = this.resolveChannels(options.channels);
    const timeline = options.gapFill !== undefined;
    if (timeline && typeof options.gapFill !== "number") {
      throw new TypeError(
        `Cannot fill gaps as gapFill must be a number: current value is ${String(options.gapFill)}`,
      );
    }
    const { recordCount, recordDurationSeconds: duration } = header;
    const onsets = timeline ? (await this.readTimeline()).recordOnsetsSeconds : null;
    const total = onsets
      ? (recordCount === 0 ? 0 : onsets.reduce((a, b) => Math.max(a, b)) + duration)
      : header.durationSeconds;
    const { startSeconds = 0, endSeconds = total } = options;
    _checkRange(startSeconds, endSeconds, total);
    // Record r of channel c starts at sample base(r, c) of the channel's output axis.
    const bases = channels.map((s) =>
      onsets ? Float64Array.from(onsets, (t) => Math.round(t * s.sampleRateHz)) : null
    );
    const base = (r: number, c: number) => bases[c]?.[r] ?? r * channels[c].samplesPerRecord;
    const ranges = channels.map((s, c) => {
      let length = recordCount * s.samplesPerRecord;
      if (onsets) {
        for (let r = 0; r < recordCount; r++) {
          length = Math.max(length, base(r, c) + s.samplesPerRecord);
        }
      }
      const first = Math.min(length, _sampleIndex(startSeconds, s.sampleRateHz));
      return [first, Math.max(first, Math.min(length, _sampleIndex(endSeconds, s.sampleRateHz)))];
    });
    const data = ranges.map(([first, end]) => allocate(end - first));
    if (onsets) { for (const array of data) array.fill(options.gapFill as number); }
    const scales = channels.map((s) => (scaled ? signalScale(s) : { gain: 1, offset: 0 }));
    const order = channels.map((_, c) => c).sort((a, b) =>
      channels[a].recordByteOffset - channels[b].recordByteOffset
    );
    const bps = header.bytesPerSample;
    // Records that hold wanted samples (stored layout: one contiguous run).
    let [firstRecord, lastRecord] = [0, recordCount - 1];
    if (!onsets) {
      firstRecord = Math.min(
        ...ranges.map(([first], c) => Math.floor(first / channels[c].samplesPerRecord)),
      );
      lastRecord = Math.max(
        ...ranges.map(([, end], c) => Math.ceil(end / channels[c].samplesPerRecord) - 1),
      );
    }
    const { headerBytes, recordBytes } = header;
    const sprs = channels.map((s) => s.samplesPerRecord);
    const slotOffsets = channels.map((s) => s.recordByteOffset);
    const firsts = ranges.map(([first]) => first);
    const ends = ranges.map(([, end]) => end);
    const gains = scales.map((s) => s.gain);
    const offsets = scales.map((s) => s.offset);
    // Wanted slots that lie close together within a record form a cluster, read as one span
    // per record (trimmed to the samples wanted at the range's first and last records).
    const clusters: { start: number; end: number; slots: number[] }[] = [];
    for (const c of order) {
      const last = clusters.at(-1);
      const end = slotOffsets[c] + sprs[c] * bps;
      if (last !== undefined && slotOffsets[c] - last.end <= _DEFAULT_LIMITS.maxGapBytes) {
        last.slots.push(c);
        last.end = Math.max(last.end, end);
      } else {
        clusters.push({ start: slotOffsets[c], end, slots: [c] });
      }
    }
    // Samples [k0, k1) of slot c lie in a record that starts at sample b of its output axis.
    const k0Of = (c: number, b: number) => Math.max(0, firsts[c] - b);
    const k1Of = (c: number, b: number) => Math.min(sprs[c], ends[c] - b);
    // Records whose every wanted slot is wanted whole (stored layout only): their spans are
    // the clusters' full extents, no per-slot trimming.
    let [wholeFrom, wholeTo] = [0, -1];
    if (!onsets) {
      wholeFrom = Math.max(...channels.map((_, c) => Math.ceil(firsts[c] / sprs[c])));
      wholeTo = Math.min(...channels.map((_, c) => Math.floor(ends[c] / sprs[c]) - 1));
    }
    function* spans(): Generator<_Span> {
      for (let record = firstRecord; record <= lastRecord; record++) {
        const recordStart = headerBytes + record * recordBytes;
        const whole = record >= wholeFrom && record <= wholeTo;
        for (let slot = 0; slot < clusters.length; slot++) {
          if (whole) {
            const { start, end } = clusters[slot];
            yield { offset: recordStart + start, length: end - start, record, slot };
            continue;
          }
          let start = Infinity, end = -Infinity;
          for (const c of clusters[slot].slots) {
            const b = base(record, c);
            const k0 = k0Of(c, b), k1 = k1Of(c, b);
            if (k1 <= k0) continue;
            start = Math.min(start, slotOffsets[c] + k0 * bps);
            end = Math.max(end, slotOffsets[c] + k1 * bps);
          }
          if (end > start) yield { offset: recordStart + start, length: end - start, record, slot };
        }
      }
    }
    let lastChunk: Uint8Array | null = null;
    let int16: Int16Array | null = null;
    await _readSpanChunks(this.source, spans(), (span, chunk, index) => {
      if (chunk !== lastChunk) {
        lastChunk = chunk;
        int16 = bps === 2 ? _int16View(chunk) : null;
      }
      const record = span.record;
      // Index in `chunk` of the record's first byte (the span may start later in the record).
      const recordIndex = index - span.offset + headerBytes + record * recordBytes;
      const slots = clusters[span.slot].slots;
      for (let i = 0; i < slots.length; i++) {
        const c = slots[i];
        const b = base(record, c);
        const k0 = k0Of(c, b), k1 = k1Of(c, b);
        if (k1 <= k0) continue;
        _decodeSamples(
          chunk,
          bps,
          recordIndex + slotOffsets[c] + k0 * bps,
          k1 - k0,
          data[c],
          b + k0 - firsts[c],
          gains[c],
          offsets[c],
          int16,
        );
      }
    });
    return {
      signals: channels,
      data,
      firstSample: ranges.map(([first]) => first),
      startSeconds: ranges.map(([first], c) => first / channels[c].sampleRateHz),
    };
  }
}

/** The first sample index at or after time t (times within 1e-6 samples snap to the sample). */
function _sampleIndex(seconds: number, sampleRateHz: number): number {
  const x = seconds * sampleRateHz;
  const nearest = Math.round(x);
  return Math.abs(x - nearest) < 1e-6 ? nearest : Math.ceil(x);
}

function _checkRange(start: number, end: number, total: number): void {
  const slack = 1e-9 * Math.max(1, total);
  if (typeof start !== "number" || !(start >= 0 && start <= total + slack)) {
    throw new RangeError(
      `Cannot read signals as startSeconds must lie in [0, ${total}]: current value is ${start}`,
    );
  }
  if (typeof end !== "number" || !(end >= start && end <= total + slack)) {
    throw new RangeError(
      `Cannot read signals as endSeconds must lie in [${start}, ${total}]: current value is ${end}`,
    );
  }
}
