package org.scatterlens.data;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Ratings ready to train on, with what a report needs to say about them.
 *
 * @param ratings        the ratings (duplicates removed, bad lines skipped where asked)
 * @param movies         titles, years and genres by raw movie id; empty when no movies file was found
 * @param description    one line: the source, its format and its size
 * @param noiseFloorRmse the best RMSE any model can reach, where known (the synthetic twin)
 * @param fingerprint    a stable hash of the source's identity (its content, not its path), saved with a model
 * @param loadSeconds    wall time of the load: download, parse or cache, movies
 * @param notes          what happened on the way: cache used or written, lines skipped, duplicates removed...
 */
public record LoadedData(Ratings ratings, Movies movies, String description, OptionalDouble noiseFloorRmse,
                         String fingerprint, double loadSeconds, List<String> notes) {
    public LoadedData {
        notes = List.copyOf(notes);
    }
}
