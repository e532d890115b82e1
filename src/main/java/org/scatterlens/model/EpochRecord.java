package org.scatterlens.model;

/**
 * One epoch of training as the history keeps it (Keras's CSVLogger columns).
 * Losses are MSE on the centered target; NaN where not measured.
 */
public record EpochRecord(int epoch, double seconds, double ratingsPerSecond, double loss, double mae,
                          double valLoss, double valRmse, double valMae) {}
