package org.scatterlens.cli;

import picocli.CommandLine.Option;

/** {@code --debug}: stack traces on failure. Mixed into every subcommand. */
public final class DebugOption {
    @Option(names = "--debug", description = "Print stack traces on failure.")
    boolean enabled;

    /** Implemented by commands that mix this in, so the error handler can find it. */
    interface Holder {
        DebugOption debug();
    }
}
