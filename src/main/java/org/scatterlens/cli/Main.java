package org.scatterlens.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code scatterlens}: the command line. Every subcommand is a class in this
 * package that calls the public API the way a user's program would.
 *
 * <p>Errors: a bad flag or value prints one line naming it and exits 2; a
 * failure while running prints one line and exits 1; {@code --debug} adds the
 * stack trace.
 */
@Command(name = "scatterlens",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Trains embedding-based rating models (MovieLens and its twins) with native sparse row updates.",
        subcommands = {
                InfoCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                StatsCommand.class,
                GenerateCommand.class,
                DownloadCommand.class,
                PredictCommand.class,
                RecommendCommand.class,
                SimilarCommand.class,
                ExportCommand.class,
                PlotCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(Main::badParameter);
        cli.setExecutionExceptionHandler(Main::failed);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    private static boolean debug(CommandLine cli) {
        for (CommandLine c = cli; c != null; c = c.getParent()) {
            Object command = c.getCommand();
            if (command instanceof DebugOption.Holder h && h.debug().enabled) {
                return true;
            }
        }
        return false;
    }

    private static int badParameter(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("scatterlens " + cli.getCommandName() + ": " + e.getMessage());
        err.println("(scatterlens " + cli.getCommandName() + " --help lists the options)");
        err.flush();
        return 2;
    }

    private static int failed(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        PrintWriter err = cli.getErr();
        if (e instanceof IllegalArgumentException) {
            err.println("scatterlens " + cli.getCommandName() + ": " + e.getMessage());
        } else {
            err.println("scatterlens " + cli.getCommandName() + ": " + oneLine(e));
        }
        if (debug(cli)) {
            e.printStackTrace(err);
        } else {
            err.println("(--debug shows the stack trace)");
        }
        err.flush();
        return e instanceof IllegalArgumentException ? 2 : 1;
    }

    /** The message of e and its causes, on one line. */
    static String oneLine(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (out.length() > 0) {
                out.append(": ");
            }
            out.append(m == null || m.isBlank() ? t.getClass().getSimpleName() : m);
            if (t.getCause() == t) {
                break;
            }
        }
        return out.toString();
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
