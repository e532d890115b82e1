package org.scatterlens.data;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link RatingsReader} made of a file.
 *
 * @param ratings           the ratings, duplicates and skipped lines removed
 * @param format            the layout read (detected or forced)
 * @param dataLines         lines after the header, blank and bad ones included
 * @param skippedLines      bad lines skipped under --skip-bad-lines
 * @param skippedExamples   the first few skipped lines: "line N: reason: "text""
 * @param blankLines        empty lines, ignored
 * @param duplicatesRemoved ratings dropped because the same (user, movie) pair has a later one
 */
public record ParsedRatings(Ratings ratings, RatingFormat format, long dataLines, long skippedLines,
                            List<String> skippedExamples, long blankLines, long duplicatesRemoved) {
    public ParsedRatings {
        skippedExamples = List.copyOf(skippedExamples);
    }

    /** One line per thing a user should know about the load: skipped, blank, duplicate lines. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (skippedLines > 0) {
            notes.add(String.format("skipped %,d bad line%s (--skip-bad-lines); first: %s", skippedLines,
                    skippedLines == 1 ? "" : "s", String.join("; ", skippedExamples)));
        }
        if (blankLines > 0) {
            notes.add(String.format("ignored %,d blank line%s", blankLines, blankLines == 1 ? "" : "s"));
        }
        if (duplicatesRemoved > 0) {
            notes.add(String.format("removed %,d duplicate (user, movie) rating%s, keeping the latest of each pair",
                    duplicatesRemoved, duplicatesRemoved == 1 ? "" : "s"));
        }
        return notes;
    }
}
