/**
 * Captions built from labels (RECIPES.md step 12), stored in the metadata for the
 * class-conditioned diffusion model: "a spectrogram image of a {age} year old,
 * {healthy | with Parkinson's disease}, {female | male} subject", plus the task state or
 * emotion where the dataset has one. Parts whose label is missing are left out.
 *
 * @module
 */

/** The label values a caption may use (class names as in label_registry.ts). */
export interface CaptionLabels {
  age?: number;
  health?: string;
  gender?: string;
  task_state?: string;
  emotion?: string;
}

const _HEALTH: Record<string, string> = {
  healthy: "healthy",
  parkinsons: "with Parkinson's disease",
};
const _STATE: Record<string, string> = {
  rest: "at rest",
  arithmetic: "during mental arithmetic",
};

/**
 * Builds the caption for one window.
 *
 * @example
 * ```ts
 * import { buildCaption } from "./captions.ts";
 * console.assert(
 *   buildCaption({ age: 21, gender: "female", task_state: "rest" }) ===
 *     "a spectrogram image of a 21 year old, female subject at rest",
 * );
 * ```
 */
export function buildCaption(labels: CaptionLabels): string {
  const parts: string[] = [];
  if (labels.age !== undefined && Number.isFinite(labels.age)) {
    parts.push(`${Number(labels.age.toFixed(1))} year old`);
  }
  if (labels.health !== undefined && labels.health !== "") {
    parts.push(_HEALTH[labels.health] ?? labels.health);
  }
  const who = labels.gender !== undefined && labels.gender !== ""
    ? `${labels.gender} subject`
    : "subject";
  const head = parts.length > 0
    ? `a spectrogram image of a ${parts.join(", ")}, ${who}`
    : `a spectrogram image of a ${who}`;
  const tail: string[] = [];
  if (labels.task_state !== undefined && labels.task_state !== "") {
    tail.push(_STATE[labels.task_state] ?? labels.task_state);
  }
  if (labels.emotion !== undefined && labels.emotion !== "") {
    tail.push(`feeling ${labels.emotion}`);
  }
  return tail.length > 0 ? `${head} ${tail.join(", ")}` : head;
}
