package org.scatterlens.data;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The MovieLens archives GroupLens publishes, by the name {@code --data} and
 * {@code scatterlens download} take. Each zip has an .md5 file beside it; the
 * checksums known here are used only when that file cannot be fetched
 * (ml-latest and ml-latest-small change with every release, so none is known).
 */
public enum GroupLensDataset {
    ML_100K("ml-100k", "u.data", "u.item", "0e33842e24a9c977be4e0107933c0723"),
    ML_1M("ml-1m", "ratings.dat", "movies.dat", "c4d9eecfca2ab87c1945afe126590906"),
    ML_10M("ml-10m", "ratings.dat", "movies.dat", "ce571fd55effeba0271552578f2648bd"),
    ML_20M("ml-20m", "ratings.csv", "movies.csv", "cd245b17a1ae2cc31bb14903e1204af3"),
    ML_25M("ml-25m", "ratings.csv", "movies.csv", "6b51fb2759a8657d3bfcbfc42b592ada"),
    ML_LATEST_SMALL("ml-latest-small", "ratings.csv", "movies.csv", null),
    ML_LATEST("ml-latest", "ratings.csv", "movies.csv", null);

    /** GroupLens's folder of archives; {@code --mirror}, -Dscatterlens.mirror or SCATTERLENS_MIRROR replace it. */
    public static final String OFFICIAL_BASE_URL = "https://files.grouplens.org/datasets/movielens";

    private final String id;
    private final String ratingsFile;
    private final String moviesFile;
    private final String knownMd5;

    GroupLensDataset(String id, String ratingsFile, String moviesFile, String knownMd5) {
        this.id = id;
        this.ratingsFile = ratingsFile;
        this.moviesFile = moviesFile;
        this.knownMd5 = knownMd5;
    }

    /** "ml-20m". */
    public String id() {
        return id;
    }

    /** "ml-20m.zip". */
    public String zipName() {
        return id + ".zip";
    }

    /** The ratings file inside the extracted folder. */
    public String ratingsFile() {
        return ratingsFile;
    }

    /** The movies file inside the extracted folder. */
    public String moviesFile() {
        return moviesFile;
    }

    /** The archive's MD5 as GroupLens published it for this release, when it is fixed. */
    public Optional<String> knownMd5() {
        return Optional.ofNullable(knownMd5);
    }

    /** The dataset called {@code name} ("ml-20m", case-insensitive), if it is one. */
    public static Optional<GroupLensDataset> byId(String name) {
        for (GroupLensDataset d : values()) {
            if (d.id.equalsIgnoreCase(name.trim())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** "ml-100k, ml-1m, ..." for messages and help. */
    public static String ids() {
        return Arrays.stream(values()).map(GroupLensDataset::id).collect(Collectors.joining(", "));
    }
}
