package org.scatterlens.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Movie metadata by raw movie id (as in the ratings file): title, year, genres.
 * Readers for movies.csv / movie.csv / movies.dat / u.item produce it.
 */
public final class Movies {

    /**
     * @param id     raw movie id
     * @param title  the title without its trailing "(year)", e.g. "Toy Story"
     * @param year   release year, 0 when the source gives none
     * @param genres genre names, e.g. [Adventure, Animation]; empty when none
     */
    public record Movie(int id, String title, int year, List<String> genres) {
        public Movie {
            title = title == null ? "" : title;
            genres = genres == null ? List.of() : List.copyOf(genres);
        }

        /** "Toy Story (1995)", or the bare title when the year is unknown. */
        public String displayTitle() {
            return year > 0 ? title + " (" + year + ")" : title;
        }
    }

    /** A title and the year it carried, 0 when none. */
    public record TitleYear(String title, int year) {}

    private static final java.util.regex.Pattern YEAR_IN_TITLE =
            java.util.regex.Pattern.compile("\\d{4}(\\s*[-\u2013]\\s*\\d{0,4})?");

    /**
     * "Toy Story (1995)" to ("Toy Story", 1995); "Babylon 5 (1993-1998)" to ("Babylon 5", 1993): the year
     * is the last parenthesis when it starts with four digits. Without one, the stripped text and 0.
     * The one place titles and years are told apart: readers and title search both use it.
     */
    public static TitleYear splitYear(String fullTitle) {
        String trimmed = fullTitle.strip();
        int open = trimmed.lastIndexOf('(');
        if (trimmed.endsWith(")") && open >= 0 && trimmed.length() - open >= 6) {
            String inside = trimmed.substring(open + 1, trimmed.length() - 1).strip();
            if (YEAR_IN_TITLE.matcher(inside).matches()) {
                return new TitleYear(trimmed.substring(0, open).strip(), Integer.parseInt(inside.substring(0, 4)));
            }
        }
        return new TitleYear(trimmed, 0);
    }

    private final Map<Integer, Movie> byId;

    private Movies(Map<Integer, Movie> byId) {
        this.byId = byId;
    }

    /** @throws IllegalArgumentException when two movies share an id */
    public static Movies of(Collection<Movie> movies) {
        Map<Integer, Movie> map = new TreeMap<>();
        for (Movie m : movies) {
            if (map.put(m.id(), m) != null) {
                throw new IllegalArgumentException("movie id " + m.id() + " appears twice");
            }
        }
        return new Movies(Collections.unmodifiableMap(map));
    }

    public static Movies empty() {
        return new Movies(Map.of());
    }

    public Optional<Movie> get(int rawId) {
        return Optional.ofNullable(byId.get(rawId));
    }

    /** All movies by ascending id. */
    public List<Movie> all() {
        return new ArrayList<>(byId.values());
    }

    public int size() {
        return byId.size();
    }
}
