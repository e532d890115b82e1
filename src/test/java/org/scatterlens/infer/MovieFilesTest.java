package org.scatterlens.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scatterlens.data.Movies;

class MovieFilesTest {
    @TempDir
    Path tmp;

    @Test
    void groupLensCsvWithQuotedTitles() throws IOException {
        Path file = Files.writeString(tmp.resolve("movies.csv"), "movieId,title,genres\r\n"
                + "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\r\n"
                + "11,\"American President, The (1995)\",Comedy|Drama|Romance\r\n"
                + "5,\"Father of the Bride Part II \"\"Sequel\"\" (1995)\",Comedy\r\n"
                + "131262,Innocence (2014),(no genres listed)\r\n");
        Movies movies = MovieFiles.read(file);
        assertEquals(new Movies.Movie(1, "Toy Story", 1995, List.of("Adventure", "Animation", "Children", "Comedy", "Fantasy")),
                movies.get(1).orElseThrow());
        assertEquals(new Movies.Movie(11, "American President, The", 1995, List.of("Comedy", "Drama", "Romance")),
                movies.get(11).orElseThrow());
        assertEquals("Father of the Bride Part II \"Sequel\"", movies.get(5).orElseThrow().title());
        assertEquals(List.of(), movies.get(131262).orElseThrow().genres());
    }

    @Test
    void latin1MoviesDat() throws IOException {
        Path file = tmp.resolve("movies.dat");
        Files.write(file, "1::Toy Story (1995)::Animation|Children's|Comedy\n39::Misérables, Les (1995)::Drama\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        Movies movies = MovieFiles.read(file);
        assertEquals("Misérables, Les", movies.get(39).orElseThrow().title());
        assertEquals(List.of("Animation", "Children's", "Comedy"), movies.get(1).orElseThrow().genres());
    }

    @Test
    void uItemGenreFlags() throws IOException {
        Path file = tmp.resolve("u.item");
        Files.write(file, "1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(new Movies.Movie(1, "Toy Story", 1995, List.of("Animation", "Children's", "Comedy")),
                MovieFiles.read(file).get(1).orElseThrow());
    }

    @Test
    void malformedLineNamesFileAndLine() throws IOException {
        Path file = Files.writeString(tmp.resolve("movies.csv"), "movieId,title,genres\n1,Toy Story (1995)\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MovieFiles.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("line 2")
                && e.getMessage().contains("1,Toy Story (1995)"), e.getMessage());
    }
}
