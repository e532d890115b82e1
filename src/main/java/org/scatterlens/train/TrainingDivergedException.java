package org.scatterlens.train;

/** The loss became NaN or infinite; the message says where and which checkpoint is still good. */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
