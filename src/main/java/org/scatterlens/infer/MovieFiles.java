package org.scatterlens.infer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.scatterlens.data.Movies;
import org.scatterlens.data.MoviesReader;
import org.scatterlens.model.ModelStore;

/**
 * Movie titles for {@code --movies}: a model directory's movies.tsv, or any
 * MovieLens movie file the data layer reads (movies.csv, movie.csv,
 * movies.dat, u.item; UTF-8 or Latin-1), through {@link MoviesReader}.
 */
public final class MovieFiles {
    private MovieFiles() {}

    /**
     * The movies in {@code file}, its layout found from its first line.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed line, or a layout it does not know
     */
    public static Movies read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such movies file: " + file);
        }
        String first;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            first = in.readLine();
        }
        // Read as Latin-1 so any bytes decode; a UTF-8 byte-order mark then reads as "ï»¿".
        if (first != null && first.replace("ï»¿", "").equals(ModelStore.MOVIES_HEADER)) {
            try {
                return ModelStore.readMoviesTsv(file);
            } catch (ModelStore.ModelFormatException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        return MoviesReader.read(file);
    }
}
