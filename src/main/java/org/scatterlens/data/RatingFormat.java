package org.scatterlens.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The published layouts of MovieLens ratings files. {@link RatingsReader} detects them from the first lines. */
public enum RatingFormat {
    /** GroupLens ml-20m, ml-25m, ml-latest, ml-latest-small ratings.csv. */
    CSV("csv", "userId,movieId,rating,timestamp with Unix seconds (GroupLens ml-20m, ml-25m, ml-latest ratings.csv)",
            true, 0.5f, 5f),
    /** Kaggle's "MovieLens 20M Dataset" rating.csv. */
    KAGGLE_CSV("kaggle-csv", "userId,movieId,rating,timestamp with 'YYYY-MM-DD HH:MM:SS' times (Kaggle's MovieLens 20M rating.csv)",
            true, 0.5f, 5f),
    /** Kaggle Learn's preprocessed rating.csv: columns found by header name, others ignored. */
    KAGGLE_LEARN("kaggle-learn", "columns found by header name: userId, movieId, rating, optional timestamp, any others ignored "
            + "(Kaggle Learn's preprocessed rating.csv)", true, 0.5f, 5f),
    /** ml-1m and ml-10m ratings.dat (ml-10m has half stars). */
    DAT("dat", "UserID::MovieID::Rating::Timestamp, no header (ml-1m, ml-10m ratings.dat)", false, 0.5f, 5f),
    /** ml-100k u.data. */
    U_DATA("u.data", "user, item, rating, timestamp separated by tabs, no header (ml-100k u.data)", false, 1f, 5f);

    private final String id;
    private final String description;
    private final boolean header;
    private final float minRating;
    private final float maxRating;

    RatingFormat(String id, String description, boolean header, float minRating, float maxRating) {
        this.id = id;
        this.description = description;
        this.header = header;
        this.minRating = minRating;
        this.maxRating = maxRating;
    }

    /** The name {@code --format} takes. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** Whether the first line names the columns. */
    public boolean hasHeader() {
        return header;
    }

    public float minRating() {
        return minRating;
    }

    public float maxRating() {
        return maxRating;
    }

    /**
     * The format named {@code id} (as {@code --format} takes it), case-insensitive.
     *
     * @throws IllegalArgumentException naming the valid ids
     */
    public static RatingFormat byId(String id) {
        for (RatingFormat f : values()) {
            if (f.id.equalsIgnoreCase(id.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("format '" + id + "' is not one of " + ids());
    }

    /** "csv, kaggle-csv, ..." for messages and help. */
    public static String ids() {
        return Arrays.stream(values()).map(RatingFormat::id).collect(Collectors.joining(", "));
    }
}
