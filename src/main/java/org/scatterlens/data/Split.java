package org.scatterlens.data;

/**
 * Rows of a {@link Ratings} set cut into training and validation (indices into
 * its columns, ascending).
 *
 * @param train            rating indices to train on
 * @param validation       rating indices held out
 * @param unseenValidation validation ratings whose user or movie never occurs in training
 * @param description      how it was cut, for logs and reports ("random 0.05, seed 42")
 */
public record Split(int[] train, int[] validation, int unseenValidation, String description) {}
