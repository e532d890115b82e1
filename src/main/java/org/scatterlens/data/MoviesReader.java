package org.scatterlens.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Movie titles, years and genres from movies.csv (GroupLens), movie.csv
 * (Kaggle; columns found by header name), movies.dat (ml-1m, ml-10m) or
 * u.item (ml-100k). The old sets are Latin-1: a file that is not valid UTF-8
 * is read as Latin-1, so "Misérables" comes out right either way.
 */
public final class MoviesReader {
    /** Where a movies file sits beside a ratings file, in the order looked for. */
    public static final List<String> NAMES = List.of("movies.csv", "movie.csv", "movies.dat", "u.item");

    /** u.item's genre flags, in order (its u.genre file). */
    static final List<String> U_ITEM_GENRES = List.of("unknown", "Action", "Adventure", "Animation", "Children's",
            "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance",
            "Sci-Fi", "Thriller", "War", "Western");

    private static final Pattern DATE_YEAR = Pattern.compile(".*(\\d{4})\\s*$");
    private static final Pattern U_ITEM_LINE = Pattern.compile("\\d+\\|.*");
    private static final Pattern ID = Pattern.compile("\\d{1,10}");
    private static final Pattern YEAR = Pattern.compile("\\d{4}(\\.0)?");

    private MoviesReader() {}

    /** The first of {@link #NAMES} in the folder of {@code ratingsFile}, if any. */
    public static Optional<Path> findBeside(Path ratingsFile) {
        Path folder = ratingsFile.toAbsolutePath().getParent();
        for (String name : NAMES) {
            Path candidate = folder.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Reads {@code file}, failing on the first bad line. */
    public static Movies read(Path file) throws IOException {
        return read(file, false, new ArrayList<>());
    }

    /**
     * Reads {@code file}, a layout detected from its first line.
     *
     * @param skipBadLines skip malformed lines (and repeated ids) instead of failing
     * @param notes        receives a line about skipped lines, if any
     * @throws BadDataException naming the file, line and text of a malformed line
     */
    public static Movies read(Path file, boolean skipBadLines, List<String> notes) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such movies file: " + file, e);
        }
        if (bytes.length == 0) {
            throw new BadDataException(file, "is empty");
        }
        String text = decode(bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        String first = lines[0];
        Parser parser;
        int firstData;
        if (first.contains("::")) {
            parser = MoviesReader::datLine;
            firstData = 0;
        } else if (U_ITEM_LINE.matcher(first).matches()) {
            parser = MoviesReader::uItemLine;
            firstData = 0;
        } else {
            parser = csvParser(file, first);
            firstData = 1;
        }
        List<Movies.Movie> movies = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        long skipped = 0;
        String firstSkipped = null;
        for (int i = firstData; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            String problem;
            try {
                Movies.Movie movie = parser.parse(line);
                if (seen.add(movie.id())) {
                    movies.add(movie);
                    continue;
                }
                problem = "movie id " + movie.id() + " appears a second time";
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
            if (!skipBadLines) {
                throw new BadDataException(file, i + 1, problem, line);
            }
            skipped++;
            if (firstSkipped == null) {
                firstSkipped = "line " + (i + 1) + ": " + problem;
            }
        }
        if (skipped > 0) {
            notes.add(String.format("skipped %,d bad line%s of %s; first: %s", skipped, skipped == 1 ? "" : "s",
                    file.getFileName(), firstSkipped));
        }
        return Movies.of(movies);
    }

    /** UTF-8 when the bytes are valid UTF-8, else Latin-1 (ml-100k, ml-1m). */
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private interface Parser {
        Movies.Movie parse(String line);
    }

    /** movies.csv / movie.csv: movieId, title, genres (and, in Kaggle Learn's, others such as year), by header name. */
    private static Parser csvParser(Path file, String header) {
        String[] names = Layout.splitCsv(header);
        int id = -1;
        int title = -1;
        int genres = -1;
        int year = -1;
        for (int c = 0; c < names.length; c++) {
            switch (names[c].toLowerCase(Locale.ROOT).replace("_", "")) {
                case "movieid", "itemid", "id" -> id = c;
                case "title" -> title = c;
                case "genres" -> genres = c;
                case "year" -> year = c;
                default -> { }
            }
        }
        if (id < 0 || title < 0) {
            throw new BadDataException(file, 1, "not a movies file: the header has no " + (id < 0 ? "movieId" : "title")
                    + " column (expected movieId,title,genres)", header);
        }
        int idColumn = id;
        int titleColumn = title;
        int genreColumn = genres;
        int yearColumn = year;
        int columns = names.length;
        return line -> {
            String[] f = Layout.splitCsv(line);
            if (f.length != columns) {
                throw new IllegalArgumentException(f.length + " fields, expected " + columns + " (" + String.join(",", names) + ")");
            }
            int explicitYear = yearColumn >= 0 && YEAR.matcher(f[yearColumn]).matches()
                    ? Integer.parseInt(f[yearColumn].substring(0, 4)) : 0;
            return movie(f[idColumn], f[titleColumn], genreColumn >= 0 ? splitGenres(f[genreColumn]) : List.of(), explicitYear);
        };
    }

    /** movies.dat: MovieID::Title::Genres. */
    private static Movies.Movie datLine(String line) {
        String[] f = line.split("::", -1);
        if (f.length != 3) {
            throw new IllegalArgumentException(f.length + " fields, expected 3 (MovieID::Title::Genres)");
        }
        return movie(f[0], f[1], splitGenres(f[2]), 0);
    }

    /** u.item: id|title|release date|video release date|IMDb URL|19 genre flags. */
    private static Movies.Movie uItemLine(String line) {
        String[] f = line.split("\\|", -1);
        if (f.length != 5 + U_ITEM_GENRES.size()) {
            throw new IllegalArgumentException(f.length + " fields, expected " + (5 + U_ITEM_GENRES.size())
                    + " (id|title|release date|video release date|IMDb URL|19 genre flags)");
        }
        List<String> genres = new ArrayList<>();
        for (int g = 0; g < U_ITEM_GENRES.size(); g++) {
            String flag = f[5 + g].trim();
            if (!flag.equals("0") && !flag.equals("1")) {
                throw new IllegalArgumentException("genre flag " + U_ITEM_GENRES.get(g) + " is \"" + flag + "\", not 0 or 1");
            }
            if (flag.equals("1") && g > 0) {
                genres.add(U_ITEM_GENRES.get(g));
            }
        }
        Matcher date = DATE_YEAR.matcher(f[2]);
        return movie(f[0], f[1], genres, date.matches() ? Integer.parseInt(date.group(1)) : 0);
    }

    private static List<String> splitGenres(String field) {
        String trimmed = field.trim();
        if (trimmed.isEmpty() || trimmed.equals("(no genres listed)")) {
            return List.of();
        }
        return Arrays.asList(trimmed.split("\\|"));
    }

    /** A movie from its id text and "Title (1995)"; fallbackYear when the title carries none. */
    private static Movies.Movie movie(String idText, String fullTitle, List<String> genres, int fallbackYear) {
        String trimmedId = idText.trim();
        if (!ID.matcher(trimmedId).matches() || Long.parseLong(trimmedId) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("movie id \"" + idText + "\" is not a whole number from 0 to " + Integer.MAX_VALUE);
        }
        Movies.TitleYear t = Movies.splitYear(fullTitle);
        return new Movies.Movie(Integer.parseInt(trimmedId), t.title(), t.year() > 0 ? t.year() : fallbackYear, genres);
    }
}
