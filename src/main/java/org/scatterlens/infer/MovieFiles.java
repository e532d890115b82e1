package org.scatterlens.infer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.scatterlens.data.Movies;
import org.scatterlens.model.ModelStore;

/**
 * Movie titles for {@code --movies}: a model directory's movies.tsv, or a
 * MovieLens movies.csv / movie.csv (movieId,title,genres), movies.dat
 * (MovieID::Title::Genres) or u.item (id|title|date|video date|url|19 genre
 * flags). Text is UTF-8 where it decodes as such, else Latin-1 (the older
 * sets).
 */
public final class MovieFiles {
    /** ml-100k's genre columns, in u.item's order. */
    static final List<String> U_ITEM_GENRES = List.of("unknown", "Action", "Adventure", "Animation", "Children's",
            "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
            "Romance", "Sci-Fi", "Thriller", "War", "Western");
    private static final Pattern TITLE_YEAR = Pattern.compile("^(.*?)\\s*\\((\\d{4})(?:[-\u2013]\\d{0,4})?\\)\\s*$");

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
        String text = decode(Files.readAllBytes(file));
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n");
        String first = lines.length == 0 ? "" : lines[0];
        if (first.equals(ModelStore.MOVIES_HEADER)) {
            try {
                return ModelStore.readMoviesTsv(file);
            } catch (ModelStore.ModelFormatException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        List<Movies.Movie> out = new ArrayList<>();
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isBlank() || (n == 0 && line.toLowerCase(Locale.ROOT).startsWith("movieid,"))) {
                continue;
            }
            try {
                out.add(parse(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + ": not a movies.csv, movies.dat or u.item line ("
                        + e.getMessage() + "): '" + (line.length() > 80 ? line.substring(0, 80) + "..." : line) + "'");
            }
        }
        try {
            return Movies.of(out);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    private static Movies.Movie parse(String line) {
        if (line.contains("::")) {
            String[] f = line.split("::", -1);
            require(f.length == 3, "3 fields separated by ::");
            return movie(f[0], f[1], List.of(f[2].split("\\|")));
        }
        String[] pipe = line.split("\\|", -1);
        if (pipe.length == 5 + U_ITEM_GENRES.size()) {
            List<String> genres = new ArrayList<>();
            for (int g = 0; g < U_ITEM_GENRES.size(); g++) {
                if (pipe[5 + g].strip().equals("1")) {
                    genres.add(U_ITEM_GENRES.get(g));
                }
            }
            return movie(pipe[0], pipe[1], genres);
        }
        List<String> f = csvFields(line);
        require(f.size() == 3, "3 comma-separated fields");
        return movie(f.get(0), f.get(1), List.of(f.get(2).split("\\|")));
    }

    /**
     * A title split from its trailing year.
     *
     * @param year 0 when the title ends in none
     */
    record TitleYear(String title, int year) {}

    /** "Toy Story (1995)" -> ("Toy Story", 1995); ml-latest's series years "(2007-2013)" count by their start. */
    static TitleYear splitYear(String text) {
        String title = text.strip();
        Matcher m = TITLE_YEAR.matcher(title);
        return m.matches() ? new TitleYear(m.group(1), Integer.parseInt(m.group(2))) : new TitleYear(title, 0);
    }

    private static Movies.Movie movie(String id, String titleWithYear, List<String> genres) {
        TitleYear t = splitYear(titleWithYear);
        List<String> kept = genres.stream().map(String::strip)
                .filter(g -> !g.isEmpty() && !g.equals("(no genres listed)")).toList();
        return new Movies.Movie(Integer.parseInt(id.strip()), t.title(), t.year(), kept);
    }

    /** Fields of an RFC 4180 line: quotes around a field, doubled quotes inside it. */
    static List<String> csvFields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        require(!quoted, "a closing quote");
        out.add(field.toString());
        return out;
    }

    private static void require(boolean ok, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("expected " + expected);
        }
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
