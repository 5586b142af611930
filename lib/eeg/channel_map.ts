/**
 * Channel maps by name (RECIPES.md step 2): every dataset maps onto the common 20-channel
 * order by matching labels, never by position. Matching ignores case, an "EEG " prefix
 * and reference suffixes such as "-REF"/"-LE", and treats the old and new 10-20 names as
 * equal (T3 = T7, T4 = T8, T5 = P7, T6 = P8).
 *
 * @module
 */

/** The first 19 channels of the common montage, in order. */
export const COMMON_CHANNELS_19 = [
  "Fp1",
  "Fp2",
  "F3",
  "F4",
  "Fz",
  "F7",
  "F8",
  "C3",
  "C4",
  "Cz",
  "P3",
  "P4",
  "Pz",
  "O1",
  "O2",
  "T3",
  "T4",
  "T5",
  "T6",
] as const;

/** The 20th channel each dataset uses (RECIPES.md step 2). */
export const TWENTIETH_CHANNEL: Readonly<Record<string, string>> = {
  math: "A2-A1",
  parkinsons: "TP10",
  seed: "P8",
};

const _ALIASES: Record<string, string> = { t7: "t3", t8: "t4", p7: "t5", p8: "t6" };

/**
 * The comparison key of a channel label: lower case, without an "EEG " prefix or a
 * reference suffix, with new 10-20 names mapped to the old ones.
 *
 * @example
 * ```ts
 * import { channelKey } from "./channel_map.ts";
 * console.assert(channelKey("EEG T7-REF") === channelKey("T3"));
 * console.assert(channelKey("EEG A2-A1") === "a2-a1");
 * ```
 */
export function channelKey(label: string): string {
  let key = label.trim().toLowerCase().replace(/^eeg\s+/, "");
  key = key.replace(/-(ref|le|ar|avg|m1|m2|a1|a2|cz)$/, (suffix) =>
    // Keep true bipolar derivations such as A2-A1; strip only a reference suffix.
    key === "a2-a1" || key === "a1-a2" ? suffix : "");
  return _ALIASES[key] ?? key;
}

/** How to treat a montage channel that the recording lacks. */
export type MissingChannelPolicy = "error" | "zeros";

/** Result of {@linkcode mapChannels}: for each montage channel, its index in the file. */
export interface ChannelMapping {
  /** Index into the recording's labels, or -1 for a channel filled by the policy. */
  indices: number[];
  /** Montage channels that were missing and filled. */
  filled: string[];
}

/**
 * Finds each montage channel in a recording's labels.
 *
 * @example
 * ```ts
 * import { mapChannels } from "./channel_map.ts";
 * const m = mapChannels(["EEG O1", "EEG T7", "ECG"], ["T3", "O1"]);
 * console.assert(m.indices.join() === "1,0");
 * ```
 */
export function mapChannels(
  labels: readonly string[],
  montage: readonly string[],
  options: { missing?: MissingChannelPolicy; source?: string } = {},
): ChannelMapping {
  const byKey = new Map<string, number>();
  labels.forEach((label, i) => {
    const key = channelKey(label);
    if (!byKey.has(key)) byKey.set(key, i); // duplicates: the first wins, as in the reader
  });
  const indices: number[] = [];
  const filled: string[] = [];
  for (const channel of montage) {
    const index = byKey.get(channelKey(channel));
    if (index !== undefined) {
      indices.push(index);
    } else if ((options.missing ?? "error") === "zeros") {
      indices.push(-1);
      filled.push(channel);
    } else {
      throw new RangeError(
        `Cannot map channel "${channel}"${options.source ? ` in ${options.source}` : ""} as ` +
          `the recording has no channel of that name (also tried its 10-20 aliases); it has: ` +
          `${labels.join(", ")}. Set the missing-channel policy to "zeros" to fill it`,
      );
    }
  }
  return { indices, filled };
}
