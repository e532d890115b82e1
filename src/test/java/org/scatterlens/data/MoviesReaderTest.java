package org.scatterlens.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MoviesReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text, java.nio.charset.Charset charset) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, text.getBytes(charset));
        return file;
    }

    @Test
    void groupLensCsvWithQuotedTitlesAndNoGenres() throws IOException {
        Path file = write("movies.csv", "movieId,title,genres\n"
                + "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n"
                + "11,\"American President, The (1995)\",Comedy|Drama|Romance\n"
                + "131262,Innocence (2014),(no genres listed)\n"
                + "140,Up Close and Personal,Drama\n"
                + "26,\"Othello (1995) \",Drama\n"
                + "98,Babylon 5 (1993-1998),Sci-Fi\n", StandardCharsets.UTF_8);
        Movies m = MoviesReader.read(file);
        assertEquals(6, m.size());
        Movies.Movie toy = m.get(1).orElseThrow();
        assertEquals("Toy Story", toy.title());
        assertEquals(1995, toy.year());
        assertEquals(List.of("Adventure", "Animation", "Children", "Comedy", "Fantasy"), toy.genres());
        assertEquals("American President, The", m.get(11).orElseThrow().title());
        assertEquals(List.of(), m.get(131262).orElseThrow().genres());
        assertEquals(0, m.get(140).orElseThrow().year());
        assertEquals("Othello", m.get(26).orElseThrow().title());
        assertEquals(1993, m.get(98).orElseThrow().year());
    }

    @Test
    void kaggleLearnMovieCsvFindsColumnsByName() throws IOException {
        Path file = write("movie.csv", "movieId,title,genres,key,year,n_ratings\n0,Toy Story,Animation|Comedy,toy story,1995,49695\n",
                StandardCharsets.UTF_8);
        Movies.Movie toy = MoviesReader.read(file).get(0).orElseThrow();
        assertEquals("Toy Story", toy.title());
        assertEquals(1995, toy.year());
    }

    @Test
    void latin1DatAndUItem() throws IOException {
        Path dat = write("movies.dat", "1::Toy Story (1995)::Animation|Children's|Comedy\n"
                + "73::Mis\u00e9rables, Les (1995)::Drama|Musical\n", StandardCharsets.ISO_8859_1);
        Movies m = MoviesReader.read(dat);
        assertEquals("Mis\u00e9rables, Les", m.get(73).orElseThrow().title());
        assertEquals(List.of("Animation", "Children's", "Comedy"), m.get(1).orElseThrow().genres());

        String flags = "|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0";
        String flagsNone = "|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0";
        Path item = write("u.item", "1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)" + flags + "\n"
                + "1311|Wa\u00e9 (1996)|01-Jan-1996||" + flagsNone + "\n"
                + "267|unknown|||" + flagsNone + "\n", StandardCharsets.ISO_8859_1);
        Movies u = MoviesReader.read(item);
        assertEquals(List.of("Animation", "Children's", "Comedy"), u.get(1).orElseThrow().genres());
        assertEquals("Wa\u00e9", u.get(1311).orElseThrow().title());
        assertEquals(List.of(), u.get(1311).orElseThrow().genres());
        assertEquals(0, u.get(267).orElseThrow().year());
    }

    @Test
    void utf8IsKeptAsUtf8() throws IOException {
        Path file = write("movies.csv", "movieId,title,genres\n5,Am\u00e9lie (2001),Comedy|Romance\n", StandardCharsets.UTF_8);
        assertEquals("Am\u00e9lie", MoviesReader.read(file).get(5).orElseThrow().title());
    }

    @Test
    void badLinesAreNamedOrSkipped() throws IOException {
        Path file = write("movies.csv", "movieId,title,genres\n1,Toy Story (1995),Comedy\nx,Heat (1995),Action\n1,Again (1999),Drama\n",
                StandardCharsets.UTF_8);
        BadDataException e = assertThrows(BadDataException.class, () -> MoviesReader.read(file));
        assertEquals(3, e.line());
        assertEquals("x,Heat (1995),Action", e.text());
        assertTrue(e.getMessage().contains("movie id \"x\" is not a whole number"), e.getMessage());

        List<String> notes = new ArrayList<>();
        Movies m = MoviesReader.read(file, true, notes);
        assertEquals(1, m.size());
        assertTrue(notes.get(0).startsWith("skipped 2 bad lines of movies.csv; first: line 3"), notes.toString());

        Path noTitle = write("other.csv", "movieId,name\n1,x\n", StandardCharsets.UTF_8);
        assertTrue(assertThrows(BadDataException.class, () -> MoviesReader.read(noTitle)).getMessage().contains("no title column"));
    }

    @Test
    void findsTheMoviesFileBesideTheRatings() throws IOException {
        Path ratings = write("u.data", "1\t1\t5\t1\n", StandardCharsets.UTF_8);
        assertTrue(MoviesReader.findBeside(ratings).isEmpty());
        Path item = write("u.item", "x", StandardCharsets.UTF_8);
        assertEquals(item.toAbsolutePath(), MoviesReader.findBeside(ratings).orElseThrow());
    }
}
