package org.scatterlens.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.scatterlens.testing.TestModels;

class TitleIndexTest {
    private final TitleIndex titles = new TitleIndex(TestModels.planted());

    private int found(String query) {
        TitleIndex.Match m = titles.find(query);
        return assertInstanceOf(TitleIndex.Found.class, m, query + " -> " + m).movie().movie().id();
    }

    @Test
    void matchesIgnoringCaseSpacesAndYear() {
        assertEquals(1, found("Toy Story"));
        assertEquals(1, found("  toy STORY "));
        assertEquals(1, found("Toy Story (1995)"));
        assertEquals(2, found("toy story 2"));
    }

    @Test
    void trailingArticleAndAlternateTitles() {
        assertEquals(7, found("The American President"));
        assertEquals(7, found("American President"));
        assertEquals(7, found("American President, The"));
        assertEquals(9, found("Amelie"), "accents do not matter");
        assertEquals(9, found("Fabuleux destin d'Amélie Poulain"), "the alternate title in parentheses");
        assertEquals(9, found("le fabuleux destin d amelie poulain"));
    }

    @Test
    void severalMatchesAreListedMostRatedFirst() {
        TitleIndex.Ambiguous a = assertInstanceOf(TitleIndex.Ambiguous.class, titles.find("hamlet"));
        assertEquals(List.of(3, 4), a.movies().stream().map(c -> c.movie().id()).toList());
        assertEquals(4, found("Hamlet (1996)"), "the year picks one");
        assertEquals(3, found("hamlet (1948)"));
    }

    @Test
    void noMatchListsTheClosestTitles() {
        TitleIndex.NotFound n = assertInstanceOf(TitleIndex.NotFound.class, titles.find("Toy Stroy"));
        assertEquals(List.of(1, 2), n.closest().stream().limit(2).map(c -> c.movie().id()).toList());
        n = assertInstanceOf(TitleIndex.NotFound.class, titles.find("president"));
        assertEquals(7, n.closest().get(0).movie().id(), "a shared word");
        n = assertInstanceOf(TitleIndex.NotFound.class, titles.find("Hamlet (2000)"));
        assertEquals(List.of(3, 4), n.closest().stream().limit(2).map(c -> c.movie().id()).sorted().toList());
        assertEquals(6, n.closest().size(), "every movie, when fewer than " + TitleIndex.SUGGESTIONS);
    }

    @Test
    void keysAndDistances() {
        assertEquals(List.of("the matrix", "matrix"), List.copyOf(TitleIndex.keys("Matrix, The")));
        assertEquals("l homme", TitleIndex.plain("L'Homme"));
        assertEquals(1, TitleIndex.levenshtein("story", "stroy") - 1);
        assertEquals(3, TitleIndex.levenshtein("kitten", "sitting"));
        assertEquals(0, TitleIndex.levenshtein("", ""));
    }
}
