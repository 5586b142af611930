/**
 * Saves a layers model to memory and loads it back (the serialisation round trip that the
 * custom-layer tests check), without touching files.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** The model as tfjs would load it from its saved artifacts. */
export async function reloadModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler((saved) => {
    artifacts = saved;
    return Promise.resolve({
      modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" },
    });
  }));
  return await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
}
