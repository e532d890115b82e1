package org.scatterlens.infer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.scatterlens.data.Movies;
import org.scatterlens.model.RatingModel;

/**
 * Finds a model's movie by title the way a person types it: case, accents,
 * punctuation and a trailing "(1995)" do not matter; MovieLens's
 * "American President, The" answers to "The American President" and to
 * "American President"; an alternate title in parentheses
 * ("Shichinin no samurai (Seven Samurai)") answers too. A year in the query
 * picks among remakes. When no title or several match, the closest titles
 * come back instead, by edit distance and shared words.
 */
public final class TitleIndex {
    /** How many closest titles a failed lookup offers. */
    public static final int SUGGESTIONS = 8;

    /** What a lookup found. */
    public sealed interface Match permits Found, Ambiguous, NotFound {}

    /** Exactly one movie matches. */
    public record Found(Candidate movie) implements Match {}

    /** Several movies match, most rated first. */
    public record Ambiguous(List<Candidate> movies) implements Match {}

    /** None matches; the closest titles, closest first. */
    public record NotFound(List<Candidate> closest) implements Match {}

    /**
     * A movie a lookup offers.
     *
     * @param row        the movie's row in the model
     * @param movie      its metadata
     * @param ratings    its training ratings
     * @param similarity how close its title is to the query, 0..1 (1: it matches)
     */
    public record Candidate(int row, Movies.Movie movie, int ratings, double similarity) {}

    private static final Pattern TRAILING_ARTICLE = Pattern.compile(
            "^(.*), (the|a|an|les|la|le|l'|il|el|los|las|das|der|die|den|det|de|i|o|os|as|un|une|lo|gli|ett|en)$");
    private static final Pattern PARENTHESES = Pattern.compile("\\(([^()]*)\\)");
    private static final Set<String> LEADING_ARTICLES = Set.of("the", "a", "an");

    private record Entry(int row, Movies.Movie movie, int ratings, Set<String> keys, String mainKey, Set<String> tokens) {}

    private final List<Entry> entries = new ArrayList<>();

    /** Indexes the titles of the model's movies that have metadata. */
    public TitleIndex(RatingModel model) {
        int[] counts = model.itemRatingCounts();
        for (int row = 0; row < model.items().size(); row++) {
            int r = row;
            model.movies().get(model.items().rawId(row)).ifPresent(m -> {
                Set<String> keys = keys(m.title());
                String main = keys.iterator().next();
                entries.add(new Entry(r, m, counts[r], keys, main, tokens(main)));
            });
        }
    }

    /** Number of indexed movies (those with a title). */
    public int size() {
        return entries.size();
    }

    /** Looks {@code query} up; see the class comment for what matches. */
    public Match find(String query) {
        Movies.TitleYear q = Movies.splitYear(query);
        int year = q.year();
        Set<String> queryKeys = keys(q.title());
        List<Candidate> exact = new ArrayList<>();
        for (Entry e : entries) {
            if ((year == 0 || e.movie().year() == year) && intersects(e.keys(), queryKeys)) {
                exact.add(new Candidate(e.row(), e.movie(), e.ratings(), 1.0));
            }
        }
        exact.sort(Comparator.comparingInt(Candidate::ratings).reversed().thenComparingInt(Candidate::row));
        if (exact.size() == 1) {
            return new Found(exact.get(0));
        }
        if (!exact.isEmpty()) {
            return new Ambiguous(exact);
        }
        return new NotFound(closest(queryKeys.iterator().next(), year));
    }

    private List<Candidate> closest(String queryKey, int year) {
        Set<String> queryTokens = tokens(queryKey);
        List<Candidate> all = new ArrayList<>();
        for (Entry e : entries) {
            double best = 0;
            for (String key : e.keys()) {
                best = Math.max(best, similarity(queryKey, queryTokens, key, key.equals(e.mainKey()) ? e.tokens() : tokens(key)));
            }
            if (year != 0 && e.movie().year() == year) {
                best = Math.min(1.0, best + 0.05);
            }
            all.add(new Candidate(e.row(), e.movie(), e.ratings(), best));
        }
        all.sort(Comparator.comparingDouble(Candidate::similarity).reversed()
                .thenComparing(Comparator.comparingInt(Candidate::ratings).reversed())
                .thenComparingInt(Candidate::row));
        return List.copyOf(all.subList(0, Math.min(SUGGESTIONS, all.size())));
    }

    /**
     * Half edit similarity (1 - distance / longer length, for typos), half
     * Dice overlap of the words (for missing or reordered words).
     */
    static double similarity(String a, Set<String> aTokens, String b, Set<String> bTokens) {
        int longer = Math.max(a.length(), b.length());
        double edit = longer == 0 ? 1 : 1.0 - (double) levenshtein(a, b) / longer;
        int shared = 0;
        for (String t : aTokens) {
            if (bTokens.contains(t)) {
                shared++;
            }
        }
        int total = aTokens.size() + bTokens.size();
        double dice = total == 0 ? 0 : 2.0 * shared / total;
        return 0.5 * edit + 0.5 * dice;
    }

    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /**
     * The normalized forms a title answers to, the main one first: the whole
     * title with its trailing article moved to the front, the same without a
     * leading article, and each part inside or outside parentheses likewise.
     */
    static Set<String> keys(String title) {
        Set<String> out = new LinkedHashSet<>();
        String lower = title.strip().toLowerCase(Locale.ROOT);
        addForms(out, lower);
        String outside = PARENTHESES.matcher(lower).replaceAll(" ").strip();
        if (!outside.isEmpty()) {
            addForms(out, outside);
        }
        Matcher inside = PARENTHESES.matcher(lower);
        while (inside.find()) {
            String alt = inside.group(1).strip();
            if (alt.startsWith("a.k.a. ")) {
                alt = alt.substring("a.k.a. ".length());
            }
            if (!alt.isEmpty()) {
                addForms(out, alt);
            }
        }
        out.remove("");
        if (out.isEmpty()) {
            out.add(plain(lower));
        }
        return out;
    }

    private static void addForms(Set<String> out, String lower) {
        String s = lower.strip();
        Matcher article = TRAILING_ARTICLE.matcher(s);
        if (article.matches()) {
            // "Misérables, Les" answers to "Les Misérables" and to "Misérables".
            out.add(plain(article.group(2) + (article.group(2).endsWith("'") ? "" : " ") + article.group(1)));
            out.add(plain(article.group(1)));
            return;
        }
        String key = plain(s);
        out.add(key);
        int space = key.indexOf(' ');
        if (space > 0 && LEADING_ARTICLES.contains(key.substring(0, space))) {
            out.add(key.substring(space + 1));
        }
    }

    /** Lower case without accents; every run of non-letters and non-digits one space. */
    static String plain(String s) {
        String noAccents = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return noAccents.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    private static Set<String> tokens(String key) {
        return key.isEmpty() ? Set.of() : new HashSet<>(List.of(key.split(" ")));
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        for (String s : b) {
            if (a.contains(s)) {
                return true;
            }
        }
        return false;
    }
}
