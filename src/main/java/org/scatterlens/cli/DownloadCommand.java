package org.scatterlens.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.scatterlens.data.Datasets;
import org.scatterlens.data.Downloads;
import org.scatterlens.data.GroupLensDataset;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code scatterlens download}: fetch, verify and extract a GroupLens archive. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Downloads a GroupLens MovieLens archive, verifies its published MD5 and extracts it into the cache "
                + "(once: later runs reuse it).")
public final class DownloadCommand implements Callable<Integer>, DebugOption.Holder {
    @Mixin
    DebugOption debug;

    @Parameters(index = "0", paramLabel = "DATASET", description = "ml-100k, ml-1m, ml-10m, ml-20m, ml-25m, ml-latest-small or ml-latest.")
    String name;

    @Option(names = "--mirror", paramLabel = "URL", description = "Fetch from here instead of files.grouplens.org.")
    String mirror;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where to extract (default: ~/.cache/scatterlens).")
    Path cacheDir;

    @Override
    public DebugOption debug() {
        return debug;
    }

    @Override
    public Integer call() throws IOException {
        GroupLensDataset dataset = GroupLensDataset.byId(name).orElseThrow(() -> new IllegalArgumentException(
                "'" + name + "' is not a GroupLens dataset: " + GroupLensDataset.ids()));
        Path home = cacheDir != null ? cacheDir : Datasets.defaultCacheHome();
        boolean had = Downloads.existing(dataset, home).isPresent();
        Path folder = Downloads.ensure(dataset, home, Downloads.baseUrl(mirror), Downloads.Progress.console());
        System.out.println((had ? "already there: " : "verified and extracted: ") + folder);
        System.out.println("ratings: " + folder.resolve(dataset.ratingsFile()));
        return 0;
    }
}
